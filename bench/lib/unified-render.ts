import type { Element, Root as HastRoot } from "hast";
import rehypeExternalLinks from "rehype-external-links";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { common, createLowlight } from "lowlight";
import { unified } from "unified";
import { toString as hastToString } from "hast-util-to-string";
import { withReadingNumbers, type RenderedPost, type TocEntry } from "@/server/render";
import { visit } from "unist-util-visit";

// The render pipeline InkWell used before markdown-it (remark + GFM → rehype → rehype-sanitize), kept
// as it was for `npm run bench`, which reports the current pipeline next to it. Not used by the app.

/**
 * GitHub's allowlist (hast-util-sanitize's default): no scripts, styles, event handlers, iframes or
 * forms; links limited to http, https, mailto (and in-page anchors); ids prefixed with
 * `user-content-` (by remark-rehype and rehype-slug, see below) so a post cannot clobber the page's
 * DOM. We keep code's `language-*` classes and the `hljs*` classes of the syntax highlighter, which
 * runs after the sanitizer (its output is ours, not the writer's), so that sanitizing a rendered post
 * again changes nothing.
 */
/** The languages rehype-highlight knows (lowlight's common set, its default). */
const highlightLanguages = createLowlight(common).listLanguages();

const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  // Raw HTML is dropped, so every id comes from remark-rehype, which already prefixes them (footnotes)
  // and points its links at the prefixed ids; a second prefix here would break those links. (The one
  // unprefixed id, `footnote-label`, is a constant of remark-rehype's, not something a writer chooses.)
  clobberPrefix: "",
  protocols: {
    ...defaultSchema.protocols,
    href: ["http", "https", "mailto"],
    src: ["http", "https"],
  },
  attributes: {
    ...defaultSchema.attributes,
    code: [["className", /^language-./, "hljs"]],
    // highlight.js scopes (`hljs-title`), sub-scope markers (`function_`, `class_`) and the names of
    // embedded languages (HTML in JavaScript is wrapped in `<span class="xml">`).
    span: [...(defaultSchema.attributes?.span ?? []), ["className", /^hljs-/, /^[a-z]+_$/, ...highlightLanguages]],
  },
};

const HEADING_ID_PREFIX = "user-content-";

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  // Raw HTML in Markdown is dropped, not passed through: writers get Markdown, readers get safe HTML.
  .use(remarkRehype, { allowDangerousHtml: false })
  .use(rehypeSanitize, sanitizeSchema)
  // Heading ids for the table of contents and deep links, prefixed like every id in a post.
  .use(rehypeSlug, { prefix: HEADING_ID_PREFIX })
  // Code blocks that name their language are highlighted at render time: readers get no script for it.
  .use(rehypeHighlight, { detect: false })
  // After sanitizing, so the allowlist cannot strip it: readers' browsers give the target no handle on
  // the page, and search engines no endorsement of links a writer added.
  .use(rehypeExternalLinks, { rel: ["noopener", "noreferrer", "nofollow", "ugc"], protocols: ["http", "https", "mailto"] })
  .use(rehypeStringify)
  .freeze();




/** Renders Markdown to sanitized HTML plus the numbers shown next to a post. Pure and synchronous. */
export function renderMarkdownWithUnified(markdown: string): RenderedPost {
  const mdast = processor.parse(markdown);
  const hast = processor.runSync(mdast) as HastRoot;
  const html = processor.stringify(hast);
  const text = hastToString(hast).replace(/\s+/g, " ").trim();
  const toc: TocEntry[] = [];
  visit(hast, "element", (node: Element) => {
    if ((node.tagName === "h2" || node.tagName === "h3") && typeof node.properties.id === "string") {
      toc.push({ depth: node.tagName === "h2" ? 2 : 3, id: node.properties.id, text: hastToString(node).trim() });
    }
  });
  return withReadingNumbers({ html, toc, text });
}
