import MarkdownIt from "markdown-it";

// Ghost stores a post's body as `lexical` (Ghost 5–6) or `mobiledoc` (Ghost 1–4) JSON, usually with the
// rendered `html` beside it. When the html is missing, these turn the JSON into HTML for the one
// converter (html-to-markdown.ts). Only the node and card types of the public formats are known; an
// unknown card keeps its html or text if it has any. Every text goes through escapeHtml.

const markdownIt = new MarkdownIt({ html: true, linkify: false });

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const obj = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** Cards shared by both formats (same names and payloads). */
function cardHtml(name: string, payload: Record<string, unknown>): string {
  switch (name) {
    case "markdown":
      return markdownIt.render(str(payload.markdown));
    case "html":
      return str(payload.html);
    case "code":
    case "codeblock":
      return `<pre><code class="language-${escapeHtml(str(payload.language) || "text")}">${escapeHtml(str(payload.code))}</code></pre>`;
    case "image":
      return `<figure><img src="${escapeHtml(str(payload.src))}" alt="${escapeHtml(str(payload.alt) || str(payload.altText))}"></figure>`;
    case "hr":
    case "horizontalrule":
      return "<hr>";
    case "embed":
      return `<iframe src="${escapeHtml(str(payload.url))}"></iframe>`;
    case "bookmark":
      return `<p><a href="${escapeHtml(str(payload.url))}">${escapeHtml(str(obj(payload.metadata).title) || str(payload.url))}</a></p>`;
    default:
      return str(payload.html) || (str(payload.text) ? `<p>${escapeHtml(str(payload.text))}</p>` : "");
  }
}

// --- mobiledoc (mobiledoc-kit's MOBILEDOC.md, version 0.3) ---

function mobiledocMarkers(markers: unknown[], markups: unknown[]): string {
  let html = "";
  const open: string[] = [];
  for (const marker of markers) {
    const [type, opens, closeCount, value] = arr(marker);
    for (const index of arr(opens)) {
      const [tag, attrs] = arr(markups[typeof index === "number" ? index : -1]);
      const safeTag = /^(a|b|strong|i|em|s|u|code|sup|sub)$/.test(str(tag)) ? str(tag) : "span";
      const attributes = arr(attrs);
      const href = safeTag === "a" ? attributes.indexOf("href") : -1;
      html += href >= 0 ? `<a href="${escapeHtml(str(attributes[href + 1]))}">` : `<${safeTag}>`;
      open.push(safeTag);
    }
    html += type === 0 ? escapeHtml(str(value)) : "";
    for (let i = 0; i < (typeof closeCount === "number" ? closeCount : 0); i++) html += `</${open.pop() ?? "span"}>`;
  }
  while (open.length) html += `</${open.pop()}>`;
  return html;
}

export function mobiledocToHtml(source: string): string {
  const doc = obj(JSON.parse(source));
  const markups = arr(doc.markups);
  const cards = arr(doc.cards);
  const blockTag = (value: unknown) => (/^(h[1-6]|blockquote)$/.test(str(value)) ? str(value) : /^(aside|pull-quote)$/.test(str(value)) ? "blockquote" : "p");
  return arr(doc.sections)
    .map((section) => {
      const [kind, a, b] = arr(section);
      if (kind === 1) return `<${blockTag(a)}>${mobiledocMarkers(arr(b), markups)}</${blockTag(a)}>`;
      if (kind === 3) {
        const listTag = str(a) === "ol" ? "ol" : "ul";
        return `<${listTag}>${arr(b).map((item) => `<li>${mobiledocMarkers(arr(item), markups)}</li>`).join("")}</${listTag}>`;
      }
      if (kind === 2) return `<img src="${escapeHtml(str(a))}" alt="">`;
      if (kind === 10) {
        const [name, payload] = arr(cards[typeof a === "number" ? a : -1]);
        return cardHtml(str(name), obj(payload));
      }
      return "";
    })
    .join("\n");
}

// --- lexical (Ghost 5–6: a Lexical editor state, with Ghost's cards as decorator nodes) ---

const FORMAT_TAGS: [number, string][] = [[1, "strong"], [2, "em"], [4, "s"], [8, "u"], [16, "code"]];

function lexicalNode(node: Record<string, unknown>): string {
  const children = () => arr(node.children).map((child) => lexicalNode(obj(child))).join("");
  switch (str(node.type)) {
    case "text":
    case "extended-text": {
      const format = typeof node.format === "number" ? node.format : 0;
      return FORMAT_TAGS.reduce((html, [bit, tagName]) => (format & bit ? `<${tagName}>${html}</${tagName}>` : html), escapeHtml(str(node.text)));
    }
    case "linebreak":
      return "<br>";
    case "link":
    case "autolink":
      return `<a href="${escapeHtml(str(node.url))}">${children()}</a>`;
    case "paragraph":
      return `<p>${children()}</p>`;
    case "heading":
    case "extended-heading": {
      const tag = /^h[1-6]$/.test(str(node.tag)) ? str(node.tag) : "h2";
      return `<${tag}>${children()}</${tag}>`;
    }
    case "quote":
    case "extended-quote":
    case "aside":
      return `<blockquote>${children()}</blockquote>`;
    case "list": {
      const listTag = str(node.listType) === "number" || str(node.tag) === "ol" ? "ol" : "ul";
      return `<${listTag}>${children()}</${listTag}>`;
    }
    case "listitem":
      return `<li>${children()}</li>`;
    case "code":
      return `<pre><code class="language-${escapeHtml(str(node.language) || "text")}">${children()}</code></pre>`;
    default:
      if (Array.isArray(node.children)) return children();
      return cardHtml(str(node.type), node);
  }
}

export function lexicalToHtml(source: string): string {
  return arr(obj(obj(JSON.parse(source)).root).children)
    .map((child) => lexicalNode(obj(child)))
    .join("\n");
}
