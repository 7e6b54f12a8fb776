import ipaddr from "ipaddr.js";
import { env } from "../env.js";
import { logger } from "../logger";
import { CLIENT_ADDRESS_HEADER } from "./client-address-header";

// The client's address, for rate limits. Route handlers cannot see the connection, so the web server
// writes its peer address into a request header of its own (./client-address-header.ts, installed by
// the standalone server's preload), replacing whatever a client sent under that name.

export { CLIENT_ADDRESS_HEADER };

let warnedUnknown = false;

/**
 * The address to count requests against.
 *
 * - `trustedProxies` 0 (the default, no proxy in front): the connection's address. X-Forwarded-For and
 *   X-Real-IP are ignored: with nothing in front they are whatever the client wrote (Next.js fills
 *   X-Forwarded-For only when the client sent none).
 * - N > 0: proxies append to X-Forwarded-For, so the address is N entries from the right (the entries
 *   left of it are the client's to invent). X-Real-IP is a fallback for a proxy that sets only that.
 *
 * "unknown" when the address cannot be known (a server started without the preload, such as
 * `next dev`): every such client then shares one count, which limits too much rather than too little.
 */
export function clientIp(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string {
  if (trustedProxies > 0) {
    const forwarded = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    const fromProxy = forwarded.length > 0 ? forwarded[Math.max(0, forwarded.length - trustedProxies)] : undefined;
    return fromProxy || headers.get("x-real-ip")?.trim() || "unknown";
  }
  const peer = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  if (peer) return peer;
  if (!warnedUnknown) {
    warnedUnknown = true;
    logger.warn(
      `no ${CLIENT_ADDRESS_HEADER} header: rate limits count all clients together. Run the web with npm start or npm run web, or set TRUSTED_PROXIES behind a proxy.`,
    );
  }
  return "unknown";
}

/**
 * What rate limits count a client address as. An IPv6 host usually holds a whole /64 (SLAAC, privacy
 * addresses, any ISP's smallest assignment), so counting each address would hand one client 2^64
 * fresh counters: IPv6 addresses count by their /64. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a
 * dual-stack socket reports) counts as the IPv4 address. Anything unparsable counts as itself.
 */
export function rateLimitSubject(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = v6.parts.slice(0, 4).map((part) => part.toString(16)).join(":");
  return `${prefix}::/64`;
}

/** The rate-limit subject of the request's client: its address, or its /64 for IPv6. */
export function clientRateLimitKey(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string {
  return rateLimitSubject(clientIp(headers, trustedProxies));
}
