import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { eq } from "drizzle-orm";
import { db } from "../db";
import { env } from "../env.js";
import { announceImageStatus } from "./queue";
import { images } from "./schema";
import { storeOriginal, UploadRefusedError } from "./upload";

// Copying an image from an address into the writer's library, in the worker. The address is the
// writer's to choose, so it must not reach what only this machine can: http(s) only; every address the
// name resolves to must be public (no private, loopback, link-local, unique-local or reserved ranges,
// unless MEDIA_REMOTE_ALLOWED_RANGES allows them), and the connection goes to the address that was
// checked (no second resolution to rebind); redirects are followed by hand and checked again; size and
// time are limited.

export class RemoteRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteRefusedError";
  }
}

export interface RemoteFetchOptions {
  allowedRanges: string[];
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
}

function isAllowedAddress(address: string, allowedRanges: string[]): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  for (const range of allowedRanges) {
    const [network, bits] = ipaddr.parseCIDR(range);
    if (network.kind() === parsed.kind() && parsed.match([network, bits])) return true;
  }
  return parsed.range() === "unicast";
}

/** A lookup for http(s).request that refuses names resolving to any address outside the public internet. */
function guardedLookup(allowedRanges: string[]): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true })
      .then((addresses) => {
        const refused = addresses.find((a) => !isAllowedAddress(a.address, allowedRanges));
        if (addresses.length === 0 || refused) {
          callback(new RemoteRefusedError(`The address ${hostname} is not on the public internet; InkWell copies only public images.`), "", 4);
          return;
        }
        const first = addresses[0]!;
        if ((options as { all?: boolean }).all) callback(null, addresses);
        else callback(null, first.address, first.family);
      })
      .catch(() => callback(new RemoteRefusedError(`The name ${hostname} could not be found.`), "", 4));
  };
}

function checkUrl(raw: string, allowedRanges: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteRefusedError("That is not a web address.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new RemoteRefusedError("Only http and https addresses can be copied.");
  if (url.username || url.password) throw new RemoteRefusedError("Addresses with a user name or password cannot be copied.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // A literal address never goes through the lookup: check it here.
  if (ipaddr.isValid(host) && !isAllowedAddress(host, allowedRanges)) {
    throw new RemoteRefusedError(`The address ${host} is not on the public internet; InkWell copies only public images.`);
  }
  return url;
}

function getOnce(url: URL, options: RemoteFetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { lookup: guardedLookup(options.allowedRanges), signal, headers: { accept: "image/*", "user-agent": "InkWell image copier" } }, resolve);
    request.on("error", reject);
  });
}

/** Fetches a remote image's bytes under every rule above; RemoteRefusedError says why not, as a sentence. */
export async function fetchRemoteImage(raw: string, options: RemoteFetchOptions): Promise<Buffer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = checkUrl(raw, options.allowedRanges);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await getOnce(url, options, signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= (options.maxRedirects ?? 3)) throw new RemoteRefusedError("The address redirects too many times.");
        url = checkUrl(new URL(response.headers.location, url).toString(), options.allowedRanges);
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new RemoteRefusedError(`The address answered ${status} instead of an image.`);
      }
      const declared = Number(response.headers["content-length"] ?? NaN);
      if (declared > options.maxBytes) {
        response.destroy();
        throw new RemoteRefusedError("The remote image is larger than the limit for images.");
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of response) {
        total += (chunk as Buffer).length;
        if (total > options.maxBytes) {
          response.destroy();
          throw new RemoteRefusedError("The remote image is larger than the limit for images.");
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    }
  } catch (err) {
    if (err instanceof RemoteRefusedError) throw err;
    if (signal.aborted) throw new RemoteRefusedError("The remote server took too long to send the image.");
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof RemoteRefusedError) throw cause;
    throw new RemoteRefusedError(`The image could not be fetched (${err instanceof Error ? err.message : String(err)}).`);
  }
}

/**
 * What a `copy-remote-image` job does: fetches the row's address and stores it as an upload of the
 * writer's. The `fetching` row becomes the image, or, if the writer already has those bytes, is removed
 * in favour of that one (its event names it as failed with that reason).
 */
export async function copyRemoteImage(imageId: string): Promise<"copied" | "skipped" | "refused"> {
  const [row] = await db.select().from(images).where(eq(images.id, imageId));
  if (!row || row.status !== "fetching" || !row.sourceUrl) return "skipped";
  const fail = async (message: string) => {
    await db.update(images).set({ status: "failed", error: message }).where(eq(images.id, imageId));
    await announceImageStatus({ ownerId: row.ownerId, imageId, status: "failed", error: message });
  };
  let bytes: Buffer;
  try {
    bytes = await fetchRemoteImage(row.sourceUrl, { allowedRanges: env.MEDIA_REMOTE_ALLOWED_RANGES, timeoutMs: env.MEDIA_REMOTE_TIMEOUT_MS, maxBytes: env.MEDIA_MAX_UPLOAD_BYTES });
  } catch (err) {
    await fail(err instanceof Error ? err.message : String(err));
    return "refused";
  }
  try {
    const stored = await storeOriginal(row.ownerId, bytes, imageId);
    if (stored.id !== imageId) {
      await announceImageStatus({ ownerId: row.ownerId, imageId, status: "failed", error: "This image is already in your library." });
    }
    return "copied";
  } catch (err) {
    if (!(err instanceof UploadRefusedError)) throw err;
    await fail(err.message);
    return "refused";
  }
}
