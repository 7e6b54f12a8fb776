// Which browser requests may change state: a cross-site form or fetch carries a foreign Origin header.

export interface OriginCheckRequest {
  method: string;
  /** The Origin header; browsers send it on every POST. */
  origin: string | null;
  /** The Host header: the address this request was sent to. */
  host: string | null;
}

export interface OriginCheckSettings {
  /** The app's public URL (APP_URL). */
  appUrl: string;
  /** `next dev`: the app is also reached at addresses other than APP_URL. */
  development: boolean;
}

/**
 * True when a POST comes from a foreign origin and must be refused. Clients that send no Origin
 * (server-side callers, curl) are not browsers and carry no cookies by accident.
 *
 * Production accepts APP_URL's origin only. Development also accepts the request's own origin (its
 * Origin names the host it was sent to): a developer opening http://127.0.0.1:3000, or the "Network:"
 * address `next dev` prints, while APP_URL says http://localhost:3000, is on the app's own pages.
 */
export function isForeignOrigin(request: OriginCheckRequest, settings: OriginCheckSettings): boolean {
  const { method, origin, host } = request;
  if (method !== "POST" || !origin) return false;
  if (origin === new URL(settings.appUrl).origin) return false;
  if (!settings.development || !host) return true;
  try {
    const url = new URL(origin);
    return !(url.protocol === "http:" || url.protocol === "https:") || url.host !== host.toLowerCase();
  } catch {
    return true; // "null" (sandboxed frames, file: pages) or garbage: not one of our pages
  }
}
