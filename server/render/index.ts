import GithubSlugger from "github-slugger";
import hljs from "highlight.js/lib/common";
import MarkdownIt from "markdown-it";
import type { Env, MarkdownIt as MarkdownItInstance, RendererRule, StateBlock, StateCore, Token } from "markdown-it";
import markdownItFootnote from "markdown-it-footnote";
import markdownItTaskLists from "markdown-it-task-lists";
import readingTime from "reading-time";
import sanitize from "sanitize-html";
import { parseImageAddress, pictureHtml } from "../media/variants";

// The one render pipeline: Markdown (CommonMark + GFM) → HTML → allowlist sanitizer. The worker renders
// posts with it and `posts.preview` uses it too (both in render threads, see pool.ts), so a preview is
// exactly what readers will get. Free of Next-only imports so the worker and its threads can load it.
//
// markdown-it parses in linear time (the inputs that made the previous remark pipeline quadratic render
// in milliseconds: bench/README.md), and every tree pass of that pipeline is gone: heading ids, the table
// of contents and the plain text are read from markdown-it's token stream in one walk.

/** Bumped whenever the same Markdown renders to different HTML; stored renderings of an older engine are re-rendered. */
export const RENDER_ENGINE_VERSION = 3;

/** Quotes and lists nested deeper than this are refused (markdown-it would silently drop their content). */
export const MAX_NESTING = 100;

/** A limit of the pipeline the writer's text passed; the message completes "This post is too complex to render: …". */
export class RenderLimitError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RenderLimitError";
  }
}

const HEADING_ID_PREFIX = "user-content-";
const EXTERNAL_REL = "noopener noreferrer nofollow ugc";

/**
 * GitHub's allowlist, as hast-util-sanitize's default schema writes it (the previous pipeline used that
 * schema): no scripts, styles, event handlers, iframes or forms; links limited to http, https and mailto
 * (and relative and in-page ones), images to http and https. Ids come only from this pipeline, already
 * prefixed `user-content-` so a post cannot clobber the page's DOM. We keep code's `language-*` classes
 * and the highlighter's `hljs*` classes, so that sanitizing a rendered post again changes nothing.
 */
const ARIA = ["aria-describedby", "aria-label", "aria-labelledby"];
const ANY_ELEMENT_ATTRIBUTES = [
  "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "axis", "border", "cellpadding", "cellspacing",
  "char", "charoff", "charset", "checked", "clear", "colspan", "color", "cols", "compact", "coords", "datetime", "dir",
  "enctype", "frame", "hspace", "headers", "height", "hreflang", "for", "id", "ismap", "itemprop", "label", "lang",
  "maxlength", "media", "method", "multiple", "name", "nohref", "noshade", "nowrap", "open", "prompt", "readonly", "rev",
  "rowspan", "rows", "rules", "scope", "selected", "shape", "size", "span", "start", "summary", "tabindex", "title",
  "usemap", "valign", "value", "width",
];
/** highlight.js's languages (its common set), whose names mark embedded code (`<span class="xml">`). */
const highlightLanguages = hljs.listLanguages();

/**
 * The attributes without `name` when its URL has a scheme outside `schemes`, as hast-util-sanitize
 * decides it: a colon before any `/`, `?` or `#` makes what precedes it a scheme (so `:` or `x:y` is not
 * taken for a relative URL, which sanitize-html's own check would allow).
 */
function withAllowedUrl(attribs: sanitize.Attributes, name: string, schemes: string[]): sanitize.Attributes {
  const value = attribs[name];
  if (value === undefined) return attribs;
  const colon = value.indexOf(":");
  const boundary = value.search(/[/?#]/);
  if (colon === -1 || (boundary !== -1 && boundary < colon) || schemes.includes(value.slice(0, colon).trim().toLowerCase())) return attribs;
  const { [name]: _dropped, ...rest } = attribs;
  return rest;
}

export const sanitizeOptions: sanitize.IOptions = {
  allowedTags: [
    "a", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "source", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "tt", "ul", "var",
  ],
  allowedAttributes: {
    a: [...ARIA, "data-footnote-backref", "data-footnote-ref", "href", "rel"],
    blockquote: ["cite"],
    del: ["cite"],
    div: ["itemscope", "itemtype"],
    dl: ARIA,
    // srcset, sizes, loading and decoding: the responsive images this pipeline writes (media/variants.ts).
    img: [...ARIA, "longdesc", "src", "srcset", "sizes", { name: "loading", values: ["lazy"], multiple: false }, { name: "decoding", values: ["async"], multiple: false }],
    input: ["disabled", "type"],
    ins: ["cite"],
    q: ["cite"],
    section: ["data-footnotes"],
    source: ["srcset", "sizes", { name: "type", values: ["image/avif", "image/webp"], multiple: false }],
    summary: ARIA,
    table: ARIA,
    ol: ARIA,
    ul: ARIA,
    "*": [...ANY_ELEMENT_ATTRIBUTES, "class"],
  },
  allowedClasses: {
    a: ["data-footnote-backref"],
    code: [/^language-./, "hljs"],
    h2: ["sr-only"],
    li: ["task-list-item"],
    ol: ["contains-task-list"],
    ul: ["contains-task-list"],
    section: ["footnotes"],
    // highlight.js scopes (`hljs-title`), sub-scope markers (`function_`, `class_`) and embedded languages.
    span: [/^hljs-/, /^[a-z]+_$/, ...highlightLanguages],
  },
  // <source> is a void element: written without a closing tag, as browsers expect.
  selfClosing: [...sanitize.defaults.selfClosing, "source"],
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "longdesc"],
  // Script and style contents go with their tags; other refused tags leave their text.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title"],
  transformTags: {
    // Readers' browsers give the target no handle on the page, and search engines no endorsement of links
    // a writer added: every absolute link gets these rels, whatever the input said.
    a: (tagName, attribs) => {
      const { rel: _ignored, ...rest } = withAllowedUrl(attribs, "href", ["http", "https", "mailto"]);
      return { tagName, attribs: /^(?:https?|mailto):/i.test(rest.href?.trim() ?? "") ? { ...rest, rel: EXTERNAL_REL } : rest };
    },
    img: (tagName, attribs) => ({ tagName, attribs: withAllowedUrl(attribs, "src", ["http", "https"]) }),
    // The only input allowed is a task list's disabled checkbox.
    input: (tagName, attribs) => ({ tagName, attribs: { type: "checkbox", disabled: "", ...("checked" in attribs ? { checked: "" } : {}) } }),
  },
};

/** Runs HTML through the same allowlist as rendered posts (the property tests check it is idempotent). */
export function sanitizeHtml(html: string): string {
  return sanitize(html, sanitizeOptions);
}

/** One entry of a post's table of contents (its h2 and h3 headings). */
export interface TocEntry {
  depth: 2 | 3;
  id: string;
  text: string;
}

export interface RenderedPost {
  html: string;
  toc: TocEntry[];
  /** The post as plain text (search index, word count). */
  text: string;
  /** Plain-text summary of the opening, at most EXCERPT_MAX characters. */
  excerpt: string;
  wordCount: number;
  readingTimeMinutes: number;
}

export const EXCERPT_MAX = 240;

/** What the core rules below collect while markdown-it parses one post. */
type RenderEnv = Env & { toc: TocEntry[]; images?: number };

const { escapeHtml } = new MarkdownIt().utils;

const md: MarkdownItInstance = new MarkdownIt("default", {
  // Raw HTML in Markdown is shown as text, never passed through: writers get Markdown, readers get safe HTML.
  html: false,
  linkify: true,
  typographer: false,
  // Code blocks that name a language highlight.js knows are highlighted at render time: readers get no
  // script for it. Unknown languages are escaped by markdown-it and keep their `language-*` class.
  highlight(code: string, language: string): string {
    const name = language.trim().toLowerCase();
    if (!name || !hljs.getLanguage(name)) return "";
    const { value } = hljs.highlight(code, { language: name, ignoreIllegals: true });
    return `<pre><code class="hljs language-${escapeHtml(name)}">${value}</code></pre>\n`;
  },
  maxNesting: MAX_NESTING,
});
// Every link reaches the sanitizer, which drops what it does not allow and keeps the text (markdown-it's
// own check would print `[a](javascript:…)` as it was typed).
md.validateLink = () => true;
// linkify-it's fuzzy links find `www.` addresses (and bare domains, unlinked again below).
md.linkify.set({ fuzzyLink: true });
// `label: true` wraps each task's checkbox and text in a <label>, so the checkbox has an accessible name.
md.use(markdownItFootnote).use(markdownItTaskLists, { enabled: false, label: true });

// markdown-it stops parsing past maxNesting and drops the rest of the post; refuse such a post instead.
const tokenizeBlocks = md.block.tokenize.bind(md.block);
md.block.tokenize = (state: StateBlock, startLine: number, endLine: number) => {
  if (state.level >= MAX_NESTING && state.skipEmptyLines(startLine) < endLine) {
    throw new RenderLimitError(`it nests quotes or lists more than ${MAX_NESTING} levels deep`);
  }
  tokenizeBlocks(state, startLine, endLine);
};

/** The text a reader sees in an inline token (code included, images' alt text and markup excluded). */
function inlineText(token: Token): string {
  let text = "";
  for (const child of token.children ?? []) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
  }
  return text;
}

// Heading ids as GitHub (and rehype-slug before) make them: github-slugger over the heading's text,
// numbered when repeated, prefixed like every id in a post. h2 and h3 make the table of contents.
md.core.ruler.push("inkwell_headings", (state: StateCore) => {
  const slugger = new GithubSlugger();
  const { tokens } = state;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== "heading_open") continue;
    const text = inlineText(tokens[i + 1]!);
    const id = HEADING_ID_PREFIX + slugger.slug(text);
    token.attrSet("id", id);
    if (token.tag === "h2" || token.tag === "h3") (state.env as RenderEnv).toc.push({ depth: token.tag === "h2" ? 2 : 3, id, text: text.trim() });
  }
});

// GFM autolinks are links with a scheme, e-mail addresses and `www.` addresses; linkify-it also finds
// bare domains (example.com), which GFM leaves as text, and so do we.
md.core.ruler.after("linkify", "inkwell_gfm_autolinks", (state: StateCore) => {
  for (const block of state.tokens) {
    const children = block.children;
    if (block.type !== "inline" || !children) continue;
    for (let i = children.length - 3; i >= 0; i--) {
      const [open, text, close] = [children[i]!, children[i + 1]!, children[i + 2]!];
      if (open.type !== "link_open" || open.markup !== "linkify" || close.type !== "link_close") continue;
      const href = String(open.attrGet("href") ?? "");
      const typedScheme = /^[a-z][a-z0-9+.-]*:/i.test(text.content) || /^www\./i.test(text.content);
      if (typedScheme || href.startsWith("mailto:")) continue;
      text.level = open.level;
      children.splice(i, 3, text);
    }
  }
});

// Strikethrough as GFM writes it (`<del>`; markdown-it says `<s>`).
md.core.ruler.push("inkwell_del", (state: StateCore) => {
  for (const block of state.tokens) {
    for (const token of block.children ?? []) if (token.type === "s_open" || token.type === "s_close") token.tag = "del";
  }
});

// Table cell alignment as an `align` attribute (GitHub's allowlist has no `style`).
md.core.ruler.push("inkwell_table_align", (state: StateCore) => {
  for (const token of state.tokens) {
    if (token.type !== "th_open" && token.type !== "td_open") continue;
    const style = token.attrGet("style");
    const align = String(style ?? "").match(/^text-align:(left|center|right)$/)?.[1];
    if (!style) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
    if (align) token.attrSet("align", align);
  }
});

// Footnotes as GitHub writes them: ids from the label (`#user-content-fn-note`), prefixed like every id.
const footnoteName = (tokens: Token[], idx: number): string => {
  const meta = tokens[idx]!.meta as { id: number; label?: string };
  return meta.label ? encodeURIComponent(meta.label.toLowerCase()) : String(meta.id + 1);
};
const footnoteRefSuffix = (tokens: Token[], idx: number): string => {
  const subId = (tokens[idx]!.meta as { subId: number }).subId;
  return subId > 0 ? `-${subId + 1}` : "";
};
const footnoteRef: RendererRule = (tokens, idx) => {
  const name = footnoteName(tokens, idx);
  const number = (tokens[idx]!.meta as { id: number }).id + 1;
  return `<sup><a href="#${HEADING_ID_PREFIX}fn-${name}" id="${HEADING_ID_PREFIX}fnref-${name}${footnoteRefSuffix(tokens, idx)}" data-footnote-ref aria-describedby="footnote-label">${number}</a></sup>`;
};
md.renderer.rules.footnote_block_open = (_tokens, _idx, _options, env) => {
  // The footnotes' heading is in the table of contents, as every other h2 is.
  (env as RenderEnv).toc.push({ depth: 2, id: "footnote-label", text: "Footnotes" });
  return '<section data-footnotes class="footnotes"><h2 class="sr-only" id="footnote-label">Footnotes</h2>\n<ol>\n';
};
md.renderer.rules.footnote_block_close = () => "</ol>\n</section>\n";
const footnoteOpen: RendererRule = (tokens, idx) => `<li id="${HEADING_ID_PREFIX}fn-${footnoteName(tokens, idx)}">\n`;
md.renderer.rules.footnote_close = () => "</li>\n";
const footnoteAnchor: RendererRule = (tokens, idx) => {
  const name = footnoteName(tokens, idx);
  return ` <a href="#${HEADING_ID_PREFIX}fnref-${name}${footnoteRefSuffix(tokens, idx)}" data-footnote-backref aria-label="Back to reference ${(tokens[idx]!.meta as { id: number }).id + 1}" class="data-footnote-backref">↩</a>`;
};

// Images: uploaded ones (addresses media/variants.ts makes) become a responsive <picture>; every image
// after the first loads lazily, so the first screen is not held up by pictures further down.
const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const renderEnv = env as RenderEnv;
  const first = (renderEnv.images ?? 0) === 0;
  renderEnv.images = (renderEnv.images ?? 0) + 1;
  const address = parseImageAddress(String(token.attrGet("src") ?? ""));
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  if (address) return pictureHtml(address, { alt, title: token.attrGet("title")?.toString(), first });
  if (!first) {
    token.attrSet("loading", "lazy");
    token.attrSet("decoding", "async");
  }
  return defaultImage(tokens, idx, options, env, self);
};

md.renderer.rules.footnote_ref = footnoteRef;
md.renderer.rules.footnote_open = footnoteOpen;
md.renderer.rules.footnote_anchor = footnoteAnchor;

/** The post's text as a reader sees it, one space between blocks. */
function plainText(tokens: Token[]): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === "inline") parts.push(inlineText(token));
    else if (token.type === "fence" || token.type === "code_block") parts.push(token.content);
  }
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

/**
 * Renders Markdown to sanitized HTML plus the numbers shown next to a post. Pure and synchronous; throws
 * RenderLimitError for Markdown nested past MAX_NESTING. Callers outside tests go through pool.ts.
 */
export function renderMarkdown(markdown: string): RenderedPost {
  const env: RenderEnv = { toc: [] };
  const tokens = md.parse(markdown, env);
  // Without the newline markdown-it ends the last block with: stored html and page markup stay as before.
  const html = sanitizeHtml(md.renderer.render(tokens, md.options, env)).trimEnd();
  return withReadingNumbers({ html, toc: env.toc, text: plainText(tokens) });
}

/** A rendering's HTML, contents and text, with the numbers shown next to a post: excerpt, words, minutes. */
export function withReadingNumbers(rendered: Pick<RenderedPost, "html" | "toc" | "text">): RenderedPost {
  const stats = readingTime(rendered.text);
  return {
    ...rendered,
    excerpt: makeExcerpt(rendered.text),
    wordCount: stats.words,
    // A non-empty post takes at least a minute to read; an empty one takes none.
    readingTimeMinutes: stats.words === 0 ? 0 : Math.max(1, Math.ceil(stats.minutes)),
  };
}

function makeExcerpt(text: string): string {
  if (text.length <= EXCERPT_MAX) return text;
  const cut = text.slice(0, EXCERPT_MAX - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > EXCERPT_MAX / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}
