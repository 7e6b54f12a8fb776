import type { Element, ElementContent, Root, RootContent } from "hast";
import { fromHtml } from "hast-util-from-html";
import { hastToMarkdown } from "@/lib/markdown/hast-to-markdown";

// Imported HTML (Ghost, WordPress, Medium, Substack) as Markdown, with the same syntax-tree converter as
// the editor's paste (HTML → hast → mdast → GFM Markdown): tables, strikethrough, task lists, and code
// blocks with their language (`class="language-x"`). Embeds (iframes, tweets, scripts, forms) never
// reach the post: each becomes a short note naming where it pointed, and is counted for the summary.
// Whatever HTML survives is still only Markdown text: the render pipeline sanitises it like any post.

export interface ConvertedHtml {
  markdown: string;
  /** Embeds replaced by a note (videos, tweets, iframes, scripts with a source). */
  droppedEmbeds: number;
}

/** Elements whose content never becomes text. */
const DROPPED = new Set(["script", "style", "noscript", "template", "form", "input", "button", "select", "textarea", "link", "meta", "head", "title"]);
/** Elements that embed someone else's page or player. */
const EMBEDS = new Set(["iframe", "object", "embed", "video", "audio"]);

const httpUrl = (value: unknown): string | null => (typeof value === "string" && /^https?:\/\//i.test(value) ? value : null);

function classes(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : value ? String(value).split(/\s+/) : [];
}

/** A tweet, Instagram post or other oEmbed blockquote (they carry a class naming the service). */
function isSocialEmbed(node: Element): boolean {
  return node.tagName === "blockquote" && classes(node).some((c) => /twitter-tweet|instagram-media|tiktok-embed|bluesky-embed/.test(c));
}

function firstLink(node: Element | Root): string | null {
  for (const child of node.children) {
    if (child.type !== "element") continue;
    const href = httpUrl(child.properties.href) ?? httpUrl(child.properties.src) ?? httpUrl(child.properties.data);
    if (href) return href;
    const inner = firstLink(child);
    if (inner) return inner;
  }
  return null;
}

function note(source: string | null): Element {
  const text = "Embedded content was left out on import";
  const children: ElementContent[] = source
    ? [{ type: "text", value: `${text}: ` }, { type: "element", tagName: "a", properties: { href: source }, children: [{ type: "text", value: source }] }]
    : [{ type: "text", value: `${text}.` }];
  return { type: "element", tagName: "p", properties: {}, children: [{ type: "element", tagName: "em", properties: {}, children }] };
}

function language(node: Element): string | null {
  for (const name of classes(node)) {
    const match = /^(?:language|lang|brush:)-?(.+)$/.exec(name);
    if (match?.[1]) return match[1];
  }
  const lang = node.properties.dataLanguage ?? node.properties.lang;
  return typeof lang === "string" && lang ? lang : null;
}

function tidy<T extends Root | Element>(node: T, counter: { droppedEmbeds: number }): T {
  const children: RootContent[] = [];
  for (const child of node.children) {
    if (child.type === "comment" || child.type === "doctype") continue;
    if (child.type !== "element") {
      children.push(child);
      continue;
    }
    if (DROPPED.has(child.tagName)) {
      // A script with a source is an embed (a tweet's widget, a gist); inline scripts are just dropped.
      if (child.tagName === "script" && httpUrl(child.properties.src)) counter.droppedEmbeds += 1;
      continue;
    }
    if (EMBEDS.has(child.tagName) || isSocialEmbed(child)) {
      counter.droppedEmbeds += 1;
      children.push(note(httpUrl(child.properties.src) ?? httpUrl(child.properties.data) ?? firstLink(child)));
      continue;
    }
    if (child.tagName === "img" && !httpUrl(child.properties.src)) continue; // inline data or a local file
    const element = tidy(child, counter);
    // WordPress and Ghost put the language on <pre> (or a wrapper); the converter reads it from <code>.
    if (element.tagName === "pre") {
      const code = element.children.find((c): c is Element => c.type === "element" && c.tagName === "code");
      const lang = language(element) ?? (code ? language(code) : null);
      if (code && lang && !language(code)) code.properties.className = [`language-${lang}`];
      if (!code) element.children = [{ type: "element", tagName: "code", properties: lang ? { className: [`language-${lang}`] } : {}, children: element.children }];
    }
    children.push(element);
  }
  return { ...node, children } as T;
}

/** Converts a post's HTML to Markdown. */
export function htmlToMarkdown(html: string): ConvertedHtml {
  const counter = { droppedEmbeds: 0 };
  const tree = tidy(fromHtml(html, { fragment: true }), counter);
  return { markdown: hastToMarkdown(tree), droppedEmbeds: counter.droppedEmbeds };
}
