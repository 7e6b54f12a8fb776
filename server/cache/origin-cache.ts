// The web process's own cache of public pages, in front of Next: a page is rendered once per change and
// then served as stored bytes, without running React, until a purge (server/cache/purge.ts) or its
// s-maxage ends it. Installed by the standalone server's preload (check-env.mjs, see
// scripts/build-standalone.ts), so it sees each request before Next does. Only the production server has
// it; `next dev` renders every request.
//
// On the way into the store, each public answer is made fit for every cache between reader and origin:
// - Cache-Control, ETag (and 304 on a match), Surrogate-Key / Cache-Tag from server/cache/public-routes.ts;
// - rendered without the reader's cookies, so no viewer can leak into it; an answer that sets a cookie
//   is never stored or marked cacheable;
// - its Content-Security-Policy carries no nonce: Next renders with a nonce nobody ever sees (proxy.ts),
//   which marks the inline scripts Next and the layout emitted; those, and only those, are allowed by
//   their SHA-256 hashes, and the nonce is removed. Markup that reached the page any other way (a post
//   body through a sanitizer bug) has no nonce at render time, so no hash, so it does not run.
import { createHash } from "node:crypto";
import { Server, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { cacheAddress, cacheControl, publicCachePolicy, responseKeys, SURROGATE_KEY_HEADER, UNCACHED, type CachePolicy } from "./public-routes";
import { ADDRESS_INDEX_TTL_SECONDS, addressIndexKey, parsePurgeMessage, purgeChannel } from "./purge-protocol";

/** Says whether an answer came from this cache; tests and the benchmark read it. */
export const ORIGIN_CACHE_HEADER = "x-inkwell-origin-cache";

/** Requests that ask Next for something other than the page's HTML (client navigations, server actions). */
const NEXT_INTERNAL_HEADERS = ["rsc", "next-router-prefetch", "next-router-state-tree", "next-action"];

/** Request headers a stored page must not depend on: who reads it, and what their cache holds. */
const VIEWER_HEADERS = ["cookie", "authorization", "accept-encoding", "if-none-match", "if-modified-since"];

/** Response headers the store sets itself, or that belong to one connection. */
const DROPPED_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date", "content-encoding", "etag", "cache-control", "set-cookie", "vary"]);

/** Pages bigger than this are served but not stored (a page is a few hundred KB at most). */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

interface Entry {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  keys: string[];
  expiresAt: number;
}

interface Captured {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface OriginCacheOptions {
  maxBytes: number;
  redisUrl: string;
  prefix: string;
  log?: (message: string, error?: unknown) => void;
}

function headerText(value: OutgoingHttpHeaders[string]): string {
  return Array.isArray(value) ? value.join(", ") : value === undefined ? "" : String(value);
}

/**
 * Swaps the nonce of Next's render for hashes of the scripts that carried it (see the top of the file).
 * Returns the page unchanged when its policy has no nonce.
 */
export function hashInlineScripts(html: string, policy: string): { html: string; policy: string } {
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  if (!nonce) return { html, policy };
  const hashes = new Set<string>();
  const marked = ` nonce="${nonce}"`;
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const [, attributes = "", content = ""] = match;
    if (!attributes.includes(marked) || /\ssrc=/.test(attributes)) continue;
    hashes.add(`'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`);
  }
  // Without 'strict-dynamic', 'self' admits Next's own chunks; inline script needs one of the hashes.
  const sources = hashes.size > 0 ? [...hashes].join(" ") : "";
  return {
    html: html.split(marked).join(""),
    policy: policy.replace(/\s*'strict-dynamic'/, "").replace(`'nonce-${nonce}'`, sources).replace(/ {2,}/g, " "),
  };
}

function etagOf(body: Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}

/** Makes a stored entry from Next's answer, or null when the answer must not be shared. */
export function toEntry(captured: Captured, policy: CachePolicy, now: number): Entry | null {
  if (captured.status !== 200 || captured.headers["set-cookie"] !== undefined) return null;
  const contentType = headerText(captured.headers["content-type"]);
  let body = captured.body;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(captured.headers)) if (!DROPPED_HEADERS.has(name) && value !== undefined) headers[name] = value;
  let html: string | null = null;
  if (contentType.startsWith("text/html")) {
    const csp = headerText(captured.headers["content-security-policy"]);
    const rewritten = hashInlineScripts(body.toString("utf8"), csp);
    html = rewritten.html;
    body = Buffer.from(html, "utf8");
    if (csp) headers["content-security-policy"] = rewritten.policy;
    // Next repeats the nonce in its preload headers; like the page's, it was this render's only.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    if (nonce && headers.link !== undefined) headers.link = headerText(headers.link).split(`; nonce="${nonce}"`).join("");
  }
  const keys = responseKeys(policy, headerText(captured.headers[SURROGATE_KEY_HEADER]), html);
  headers["cache-control"] = cacheControl(policy);
  headers[SURROGATE_KEY_HEADER] = keys.join(" ");
  headers["cache-tag"] = keys.join(",");
  headers.vary = "Accept-Encoding";
  return { status: 200, headers, body, gzip: null, etag: etagOf(body), keys, expiresAt: now + policy.sMaxAge * 1000 };
}

/** Collects what Next writes to `res` instead of sending it; resolves when Next ends the answer. */
function capture(res: ServerResponse): Promise<Captured> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const add = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array));
    };
    const patched = res as unknown as Record<string, unknown>;
    patched.writeHead = (status: number, reason?: unknown, headers?: unknown) => {
      res.statusCode = status;
      const given = (typeof reason === "object" ? reason : headers) as OutgoingHttpHeaders | undefined;
      for (const [name, value] of Object.entries(given ?? {})) if (value !== undefined) res.setHeader(name, value);
      return res;
    };
    patched.flushHeaders = () => {};
    patched.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      add(chunk, encoding);
      const done = [encoding, callback].find((arg) => typeof arg === "function") as (() => void) | undefined;
      done?.();
      return true;
    };
    patched.end = (chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      add(chunk, encoding);
      for (const name of ["writeHead", "flushHeaders", "write", "end"]) delete patched[name];
      resolve({ status: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks) });
      const done = [chunk, encoding, callback].find((arg) => typeof arg === "function") as (() => void) | undefined;
      done?.();
      return res;
    };
  });
}

/** Replaces whatever headers Next set on `res` with these, then sends. */
function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer | null): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}

export class OriginCache {
  private readonly entries: LRUCache<string, Entry>;
  /** surrogate key → addresses stored under it, for purges. */
  private readonly byKey = new Map<string, Set<string>>();
  /** When each key was last purged: a page whose render started before that is not stored. */
  private readonly purgedAt = new Map<string, number>();
  private allPurgedAt = 0;
  private readonly filling = new Map<string, Promise<Entry | null>>();
  private readonly index: Redis;
  private readonly subscriber: Redis;
  /** Settles once purges are heard (or subscribing failed; it retries on reconnection). */
  readonly listening: Promise<void>;

  constructor(private readonly options: OriginCacheOptions) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: (entry) => entry.body.length + (entry.gzip?.length ?? 0) + 1024,
      dispose: (entry, address) => {
        for (const key of entry.keys) {
          const addresses = this.byKey.get(key);
          addresses?.delete(address);
          if (addresses?.size === 0) this.byKey.delete(key);
        }
      },
    });
    const redisOptions = { connectionName: "inkwell-origin-cache", retryStrategy: (attempt: number) => Math.min(attempt * 200, 5_000) };
    this.index = new Redis(options.redisUrl, { ...redisOptions, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // No ready check for a subscriber: see createRedis's "subscriber" role (server/jobs/contract.ts).
    this.subscriber = new Redis(options.redisUrl, { ...redisOptions, maxRetriesPerRequest: null, enableReadyCheck: false });
    this.index.on("error", () => {});
    this.subscriber.on("error", () => {});
    this.listening = this.subscriber.subscribe(purgeChannel(options.prefix)).then(
      () => {},
      () => {},
    );
    this.subscriber.on("message", (_channel: string, message: string) => this.purge(parsePurgeMessage(message)));
    // (Re)connected: purges may have been missed meanwhile, so nothing stored is trusted.
    this.subscriber.on("ready", () => this.purgeAll());
  }

  /** Closes its Redis connections (tests; the web process keeps it for its life). */
  async close(): Promise<void> {
    await Promise.allSettled([this.index.quit(), this.subscriber.quit()]);
  }

  purge(keys: readonly string[]): void {
    const now = Date.now();
    for (const key of keys) {
      this.purgedAt.set(key, now);
      for (const address of [...(this.byKey.get(key) ?? [])]) this.entries.delete(address);
    }
    if (this.purgedAt.size > 10_000) {
      // Forgetting which keys were purged is safe only if every render under way counts as purged.
      this.purgedAt.clear();
      this.allPurgedAt = now;
    }
  }

  purgeAll(): void {
    this.allPurgedAt = Date.now();
    this.entries.clear();
  }

  private purgedSince(keys: readonly string[], startedAt: number): boolean {
    return this.allPurgedAt >= startedAt || keys.some((key) => (this.purgedAt.get(key) ?? 0) >= startedAt);
  }

  private store(address: string, entry: Entry): void {
    if (this.options.maxBytes > 0 && entry.body.length <= MAX_ENTRY_BYTES) {
      this.entries.set(address, entry);
      for (const key of entry.keys) {
        const addresses = this.byKey.get(key) ?? new Set<string>();
        addresses.add(address);
        this.byKey.set(key, addresses);
      }
    }
    // Shared caches in front store it too: the purger must know this address carries these keys.
    const multi = this.index.multi();
    for (const key of entry.keys) {
      const indexKey = addressIndexKey(this.options.prefix, key);
      multi.sadd(indexKey, address).expire(indexKey, ADDRESS_INDEX_TTL_SECONDS);
    }
    multi.exec().catch((error: unknown) => this.options.log?.("origin cache: could not index an address for purges", error));
  }

  private serve(entry: Entry, req: IncomingMessage, res: ServerResponse, state: "HIT" | "MISS"): void {
    const common = { ...entry.headers, etag: entry.etag, [ORIGIN_CACHE_HEADER]: state };
    if (matchesEtag(req.headers["if-none-match"], entry.etag)) {
      send(res, 304, { etag: entry.etag, "cache-control": entry.headers["cache-control"], vary: entry.headers.vary, [SURROGATE_KEY_HEADER]: entry.headers[SURROGATE_KEY_HEADER], [ORIGIN_CACHE_HEADER]: state }, null);
      return;
    }
    const gzip = /\bgzip\b/.test(headerText(req.headers["accept-encoding"])) && entry.body.length > 1024;
    if (gzip) entry.gzip ??= gzipSync(entry.body);
    const body = gzip && entry.gzip ? entry.gzip : entry.body;
    send(res, entry.status, { ...common, ...(gzip && { "content-encoding": "gzip" }), "content-length": body.length }, req.method === "HEAD" ? null : body);
  }

  /** Renders through Next into a capture; stores and answers it, or answers Next's answer as it was. */
  private fill(address: string, policy: CachePolicy, req: IncomingMessage, res: ServerResponse, render: () => void): Promise<Entry | null> {
    const startedAt = Date.now();
    for (const name of VIEWER_HEADERS) delete req.headers[name];
    const captured = capture(res);
    render();
    return captured.then((answer) => {
      const entry = toEntry(answer, policy, Date.now());
      if (!entry) {
        // An error, a redirect, a missing page, or an answer with a cookie: as Next wrote it, never shared.
        const headers: OutgoingHttpHeaders = { ...answer.headers, "cache-control": UNCACHED };
        delete headers["content-length"];
        delete headers["transfer-encoding"];
        send(res, answer.status, { ...headers, "content-length": answer.body.length, [ORIGIN_CACHE_HEADER]: "BYPASS" }, answer.body);
        return null;
      }
      // Purged while it rendered: it may show what the purge was for, so no cache keeps it (a shared
      // cache that stored it would hold an address the purge index may never learn, until s-maxage).
      if (this.purgedSince(entry.keys, startedAt)) return { ...entry, headers: { ...entry.headers, "cache-control": UNCACHED } };
      this.store(address, entry);
      return entry;
    });
  }

  /**
   * Takes a request if it is a public page: answers from the store, waits for a render of the same
   * address already under way, or renders it through Next (`render`) and stores it. False: not ours.
   */
  handle(req: IncomingMessage, res: ServerResponse, render: () => void): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (NEXT_INTERNAL_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const policy = publicCachePolicy(pathname);
    if (!policy) return false;
    const address = cacheAddress(pathname, queryAt === -1 ? "" : url.slice(queryAt), policy);
    const stored = this.entries.get(address);
    if (stored && stored.expiresAt > Date.now()) {
      this.serve(stored, req, res, "HIT");
      return true;
    }
    const pending = this.filling.get(address);
    if (pending) {
      // Many readers of a page that is being rendered: one render, then the same bytes for all.
      void pending.then((entry) => (entry ? this.serve(entry, req, res, "HIT") : render()));
      return true;
    }
    if (req.method === "HEAD") return false;
    const filled = this.fill(address, policy, req, res, render)
      .then((entry) => {
        if (entry) this.serve(entry, req, res, "MISS");
        return entry;
      })
      .catch((error: unknown) => {
        this.options.log?.("origin cache: render failed", error);
        if (!res.headersSent) send(res, 500, { "content-type": "text/plain; charset=utf-8", "cache-control": UNCACHED }, Buffer.from("Something went wrong."));
        return null;
      })
      .finally(() => this.filling.delete(address));
    this.filling.set(address, filled);
    return true;
  }
}

/**
 * Puts the cache in front of every HTTP server of this process (the standalone server creates one):
 * requests for public pages go to the cache first, everything else straight to Next.
 */
export function installOriginCache(options: OriginCacheOptions): OriginCache {
  const cache = new OriginCache(options);
  const emit = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function emitThroughCache(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (cache.handle(req, res, () => emit.call(this, event, req, res))) return true;
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;
  return cache;
}
