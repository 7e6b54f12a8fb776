import type { Element, ElementContent, Root, RootContent } from "hast";
import { fromHtml } from "hast-util-from-html";
import { hastToMarkdown } from "@/lib/markdown/hast-to-markdown";

// Rich text pasted from a document or a web page, as Markdown: the syntax-tree tools (HTML → hast →
// mdast → Markdown, with GFM for tables and strikethrough) do the conversion; this file only tidies what
// word processors put around the text first. Loaded on demand by the editor (it is not small).

export interface PastedMarkdown {
  /** False when the HTML carried no formatting (a code editor's coloured spans): paste the plain text. */
  rich: boolean;
  markdown: string;
  /** Images left out because they were not on the web (a file on the writer's disk, inline data). */
  droppedImages: number;
}

const BOLD_WEIGHT = /font-weight\s*:\s*(bold|[6-9]00)/i;
const NORMAL_WEIGHT = /font-weight\s*:\s*(normal|[1-4]00)/i;
const ITALIC = /font-style\s*:\s*italic/i;
const STRIKE = /text-decoration[^;]*line-through/i;
const CODE_FONT = /font-family\s*:[^;]*(mono|courier|consolas|menlo)/i;

function styleOf(node: Element): string {
  const style = node.properties.style;
  return typeof style === "string" ? style : "";
}

function wrap(tagName: string, children: ElementContent[]): Element {
  return { type: "element", tagName, properties: {}, children };
}

/**
 * Word processors mark bold and italic with inline styles rather than tags (Google Docs even wraps the
 * whole document in a `<b style="font-weight:normal">`): turn those styles into tags the converter knows.
 */
function tidy<T extends Root | Element>(node: T, counter: { droppedImages: number }): T {
  const children: RootContent[] = [];
  for (const child of node.children) {
    if (child.type !== "element") {
      children.push(child);
      continue;
    }
    const element = tidy(child, counter);
    const style = styleOf(element);
    if (element.tagName === "table") promoteHeaderRow(element);
    if (element.tagName === "img") {
      const src = typeof element.properties.src === "string" ? element.properties.src : "";
      if (!/^https?:\/\//i.test(src)) {
        counter.droppedImages += 1;
        continue;
      }
    }
    if ((element.tagName === "b" || element.tagName === "strong") && NORMAL_WEIGHT.test(style)) {
      children.push(...element.children);
      continue;
    }
    if (element.tagName === "span" && style) {
      let content: ElementContent[] = element.children;
      if (CODE_FONT.test(style)) content = [wrap("code", content)];
      if (STRIKE.test(style)) content = [wrap("del", content)];
      if (ITALIC.test(style)) content = [wrap("em", content)];
      if (BOLD_WEIGHT.test(style)) content = [wrap("strong", content)];
      children.push(...content);
      continue;
    }
    children.push(element);
  }
  return { ...node, children } as T;
}

function elements(node: Root | Element): Element[] {
  const children: readonly (RootContent | ElementContent)[] = node.children;
  return children.filter((child): child is Element => child.type === "element");
}

/** A Markdown table needs a header row: a table without one (most documents') gets its first row as header. */
function promoteHeaderRow(table: Element): void {
  const rows = (node: Element): Element[] => elements(node).flatMap((child) => (child.tagName === "tr" ? [child] : ["thead", "tbody", "tfoot"].includes(child.tagName) ? rows(child) : []));
  const all = rows(table);
  if (all.some((row) => elements(row).some((cell) => cell.tagName === "th"))) return;
  for (const cell of elements(all[0] ?? wrap("tr", []))) if (cell.tagName === "td") cell.tagName = "th";
}

/** Elements that make pasted HTML worth converting rather than pasting as its plain text. */
const FORMATTING = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "a", "strong", "b", "em", "i", "ul", "ol", "table", "pre", "code", "blockquote", "img", "del", "s", "hr"]);

function hasFormatting(node: Root | Element): boolean {
  return elements(node).some((child) => FORMATTING.has(child.tagName) || hasFormatting(child));
}

/** Converts pasted HTML to Markdown. */
export function htmlToMarkdown(html: string): PastedMarkdown {
  const counter = { droppedImages: 0 };
  const tree = tidy(fromHtml(html, { fragment: true }), counter);
  if (!hasFormatting(tree)) return { rich: false, markdown: "", droppedImages: counter.droppedImages };
  return { rich: true, markdown: hastToMarkdown(tree), droppedImages: counter.droppedImages };
}
