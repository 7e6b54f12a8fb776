import { env } from "@/server/env.js";

const AUTH_PAGES = new Set(["/sign-in", "/sign-up"]);

/**
 * The page to return to after signing in: only a path on this site ("/editor/…"), never another
 * origin, so the sign-in pages cannot be used to send people away.
 *
 * Checking the raw text is not enough: URL parsing removes tabs and newlines, turns "\" into "/" and
 * resolves "." and ".." segments (also when written %2e), so "/.//evil.example" comes out as the path
 * "//evil.example", which a browser reads as another host. So the value is resolved against APP_URL
 * with the WHATWG URL parser (as browsers do), and the path that would be sent back is resolved again
 * and must stay on the same origin, as a single-slash path.
 */
export function safeCallbackUrl(value: string | string[] | undefined | null, fallback = "/dashboard"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/")) return fallback;
  try {
    const app = new URL(env.APP_URL);
    const url = new URL(raw, app);
    if (url.origin !== app.origin) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // The normalized result, as the browser will read it from a Location header or location.assign().
    if (!/^\/(?![/\\])/.test(path) || new URL(path, app).origin !== app.origin) return fallback;
    // The auth pages themselves would loop.
    if (AUTH_PAGES.has(url.pathname)) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
