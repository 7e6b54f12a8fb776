/**
 * The page to return to after signing in: only a path on this site ("/editor/…"), never another origin
 * ("//evil.example", "https://…", "/\\evil.example"), so the sign-in form cannot be used to send people away.
 */
export function safeCallbackUrl(value: string | string[] | undefined | null, fallback = "/dashboard"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  try {
    const base = "http://inkwell.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return fallback;
    // The auth pages themselves would loop.
    if (url.pathname === "/sign-in" || url.pathname === "/sign-up") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
