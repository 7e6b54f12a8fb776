import fc from "fast-check";
import type { Element, Root } from "hast";
import rehypeParse from "rehype-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { describe, expect, it } from "vitest";
import { renderMarkdown, sanitizeHtml } from "@/server/render";

// Markdown-ish text: plain characters mixed with the syntax and the HTML an attacker would try.
const fragments = [
  "# ", "## ", "**", "_", "`", "```\n", "\n\n", "- ", "1. ", "> ", "[x](", ")", "![i](", "|a|b|\n|-|-|\n", "~~", "<", ">", "\"", "'",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>",
  "<svg onload=alert(1)>", "<iframe src=//evil>", "```js\n", "```html\n", "```css\n", "data:text/html;base64,PHNjcmlwdD4=", "<style>*{}</style>", "&lt;", "[^1]", "[^1]: n\n",
  "http://example.com ", "www.example.com ", "<div style=\"x\">", "\u0000", "\u202e",
];
const markdownish = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join(""));

const FORBIDDEN_ELEMENTS = new Set(["script", "iframe", "svg", "math", "style", "object", "embed", "form", "base", "link", "meta", "frame", "frameset", "template"]);
const SAFE_URL = /^(https?:|mailto:|#|\/(?!\/)|[^:/?#]*(?:[/?#]|$))/i;

/** What a browser would parse out of `html` that could run script or restyle the page; empty when safe. */
function unsafeParts(html: string): string[] {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as Root;
  const problems: string[] = [];
  visit(tree, "element", (node: Element) => {
    if (FORBIDDEN_ELEMENTS.has(node.tagName)) problems.push(`<${node.tagName}>`);
    if (node.tagName === "input" && node.properties.type !== "checkbox") problems.push("non-checkbox <input>");
    for (const [name, value] of Object.entries(node.properties)) {
      if (/^on/i.test(name) || name === "style") problems.push(`${node.tagName}[${name}]`);
      if ((name === "href" || name === "src") && typeof value === "string" && !SAFE_URL.test(value.trim())) problems.push(`${node.tagName}[${name}=${value}]`);
    }
  });
  return problems;
}

describe("the safety check used below", () => {
  it("catches what it must catch", () => {
    expect(unsafeParts('<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><script></script>')).toEqual([
      "a[href=javascript:alert(1)]",
      "img[onError]",
      "<script>",
    ]);
    expect(unsafeParts('<a href="https://ok.example/">ok</a><a href="#user-content-fn-1">1</a><p>javascript:alert(1)</p>')).toEqual([]);
  });
});

describe("the sanitizer and the highlighter agree", () => {
  it("keeps highlight.js's sub-scope and embedded-language classes when sanitizing again", () => {
    for (const markdown of ["```js\nfunction f() {}\n```", "```js\n**<script>alert(1)</script>\n```", "A[^1]\n\n[^1]: note\n"]) {
      const { html } = renderMarkdown(markdown);
      expect(sanitizeHtml(html)).toBe(html);
    }
  });
});

describe("the render pipeline (properties)", () => {
  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, fc.string({ maxLength: 500 })), (markdown) => {
        renderMarkdown(markdown);
      }),
      { numRuns: 500 },
    );
  });

  it("always returns sanitized output", () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        expect(unsafeParts(renderMarkdown(markdown).html)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("is a fixed point: sanitizing its output again changes nothing", () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const { html } = renderMarkdown(markdown);
        expect(sanitizeHtml(html)).toBe(html);
      }),
      { numRuns: 1000 },
    );
  });

  it("sanitizes arbitrary HTML and sanitizing twice changes nothing", () => {
    fc.assert(
      fc.property(markdownish, (html) => {
        const once = sanitizeHtml(html);
        expect(unsafeParts(once)).toEqual([]);
        expect(sanitizeHtml(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
