import { describe, expect, it } from "vitest";
import { EXCERPT_MAX, renderMarkdown } from "@/server/render";

describe("renderMarkdown", () => {
  it("renders CommonMark headings, emphasis and lists", () => {
    const { html } = renderMarkdown("## Title\n\nSome **bold** and _italic_ text.\n\n- one\n- two\n");
    expect(html).toContain(`<h2 id="user-content-title">Title</h2>`);
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>italic</em>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
  });

  it("renders GFM tables, strikethrough, task lists and autolinks", () => {
    const { html } = renderMarkdown(
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n- [ ] todo\n\nSee www.example.com, not example.com\n",
    );
    expect(html).toContain("<table>");
    expect(html).toContain("<td>2</td>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).not.toContain('href="http://example.com'); // GFM links www. addresses, not bare domains
    expect(html).toContain('<a href="http://www.example.com" rel="noopener noreferrer nofollow ugc">www.example.com</a>');
  });

  it("highlights fenced code that names its language, escaping its content", () => {
    const { html } = renderMarkdown("```ts\nconst a = 1 < 2;\n```\n");
    expect(html).toContain('<pre><code class="hljs language-ts"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span> &lt; <span class="hljs-number">2</span>;');
    expect(renderMarkdown("```\nplain <b>\n```\n").html).toContain("<pre><code>plain &lt;b&gt;");
  });

  it("gives h2/h3 headings prefixed ids and lists them as a table of contents", () => {
    const { html, toc } = renderMarkdown("# Title\n\n## First part\n\n### A `detail`\n\n## First part\n");
    expect(html).toContain('<h2 id="user-content-first-part">First part</h2>');
    expect(toc).toEqual([
      { depth: 2, id: "user-content-first-part", text: "First part" },
      { depth: 3, id: "user-content-a-detail", text: "A detail" },
      { depth: 2, id: "user-content-first-part-1", text: "First part" },
    ]);
  });

  it("shows raw HTML as text: no script tags, event handlers or other elements reach the page", () => {
    const { html } = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n<div onclick="alert(1)">hi</div>\n',
    );
    expect(html).not.toMatch(/<(?:script|img|div)\b/i);
    expect(html).not.toMatch(/<[^>]*\son(?:error|click)=/i); // no element carries a handler
    expect(html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });

  it("drops javascript: and data: links but keeps http, https and mailto", () => {
    const { html } = renderMarkdown(
      "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://ok.example) [d](mailto:me@example.com) ![e](javascript:alert(1))",
    );
    expect(html).not.toMatch(/javascript:|data:text/i);
    expect(html).toContain('<a href="https://ok.example" rel="noopener noreferrer nofollow ugc">c</a>');
    expect(html).toContain('href="mailto:me@example.com"');
    expect(html).toContain('<img alt="e" />'); // the image stays as its alt text, without the source
  });

  it("prefixes element ids so a post cannot clobber the page's DOM", () => {
    const { html } = renderMarkdown("A note[^main].\n\n[^main]: The note.\n");
    expect(html).toContain('<li id="user-content-fn-main">');
    expect(html).toContain('href="#user-content-fn-main"'); // in-page links still reach their target
    expect(html).not.toMatch(/id="fn-main"|user-content-user-content/);
  });

  it("is stable: the same input renders to the same output", () => {
    const source = "# Stable\n\nText with `code` and a [link](https://example.com).";
    expect(renderMarkdown(source)).toEqual(renderMarkdown(source));
  });

  it("counts words and rounds reading time up to whole minutes", () => {
    const words = Array.from({ length: 460 }, (_, i) => `word${i}`).join(" ");
    const result = renderMarkdown(words);
    expect(result.wordCount).toBe(460);
    expect(result.readingTimeMinutes).toBe(3); // reading-time's 200 wpm: 2.3 minutes, rounded up
    expect(renderMarkdown("").readingTimeMinutes).toBe(0);
    expect(renderMarkdown("one").readingTimeMinutes).toBe(1);
  });

  it("makes a plain-text excerpt cut at a word boundary", () => {
    const long = `**Bold** start ${"lorem ipsum ".repeat(60)}`;
    const { excerpt } = renderMarkdown(long);
    expect(excerpt.startsWith("Bold start lorem")).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(excerpt.endsWith("…")).toBe(true);
    expect(excerpt).not.toMatch(/<|\*\*/);
  });
});
