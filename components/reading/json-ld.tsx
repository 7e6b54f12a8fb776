/**
 * Structured data for search engines. It is data, not script (a CSP's script-src does not apply to it);
 * `<` is escaped so no value can close the element.
 */
export function JsonLd({ data }: { data: Record<string, unknown> }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(data).replace(/</g, "\\u003c") }} />;
}
