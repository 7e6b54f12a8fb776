/** An RSS document, as every feed route answers it (readers poll: a few minutes of client caching is fine). */
export function feedResponse(xml: string): Response {
  return new Response(xml, { headers: { "content-type": "application/rss+xml; charset=utf-8", "cache-control": "public, max-age=300" } });
}

export function feedNotFound(): Response {
  return new Response("No such feed.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}
