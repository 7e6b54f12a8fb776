/**
 * The stored post HTML, adjusted for readers. GFM task-list checkboxes come without a label (axe:
 * "Form elements must have labels"); they get one. This is a plain string replacement, and safe: in the
 * serialized, sanitized HTML a `"` inside an attribute value is always escaped (`&#x22;`) and a `<` in text
 * is `&lt;`, so `<input type="checkbox"` can only be an actual element, never text or part of a value.
 */
export function readerHtml(html: string): string {
  return html.replace(/<input type="checkbox"( checked)? disabled>/g, (_match, checked: string | undefined) =>
    checked ? '<input type="checkbox" checked disabled aria-label="Done">' : '<input type="checkbox" disabled aria-label="To do">',
  );
}
