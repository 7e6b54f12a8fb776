/**
 * A 303 to one of our pages, as a relative address: the browser stays on the origin it came from.
 * (`request.url` in the standalone server names its own listening host, `localhost`, not the address
 * readers use; a form's `form-action 'self'` refuses to follow a redirect there, and a link would leave
 * the site.)
 */
export function seeOther(pathname: string, params: Record<string, string> = {}): Response {
  const query = new URLSearchParams(params).toString();
  return new Response(null, { status: 303, headers: { location: query ? `${pathname}?${query}` : pathname, "cache-control": "no-store" } });
}
