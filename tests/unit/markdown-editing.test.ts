import { markdown, markdownLanguage } from "@codemirror/lang-markdown";
import { ensureSyntaxTree } from "@codemirror/language";
import { languages } from "@codemirror/language-data";
import { EditorSelection, EditorState, type StateCommand } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { markdownEnter } from "@/components/editor/markdown-commands";
import { htmlToMarkdown } from "@/components/editor/paste-html";

// The editor's Enter key on CodeMirror states (no browser needed), and the converter behind pasting
// rich text. The browser-level behaviour (typing, a real paste event) is in tests/e2e/editor-writing.spec.ts.

/** The text after pressing Enter at `|` in `doc`, with the caret shown again as `|`. */
function pressEnter(doc: string, command: StateCommand = markdownEnter): string {
  const caret = doc.indexOf("|");
  let state = EditorState.create({
    doc: doc.replace("|", ""),
    selection: EditorSelection.cursor(caret),
    extensions: [markdown({ base: markdownLanguage, codeLanguages: languages, addKeymap: false })],
  });
  ensureSyntaxTree(state, state.doc.length, 5_000);
  const handled = command({ state, dispatch: (tr) => (state = tr.state) });
  expect(handled).toBe(true);
  const head = state.selection.main.head;
  return state.doc.sliceString(0, head) + "|" + state.doc.sliceString(head);
}

describe("Enter in the Markdown editor", () => {
  it("continues a list on the next line", () => {
    expect(pressEnter("- one|")).toBe("- one\n- |");
    expect(pressEnter("1. one|")).toBe("1. one\n2. |");
  });

  it("leaves the list on an empty item, with a blank line so the next paragraph is not part of the last item", () => {
    expect(pressEnter("- one\n- two\n- |")).toBe("- one\n- two\n\n|");
    expect(pressEnter("1. one\n2. |")).toBe("1. one\n\n|");
    expect(pressEnter("- [ ] task\n- [ ] |")).toBe("- [ ] task\n\n|");
  });

  it("keeps a blank line before text that already follows the list", () => {
    expect(pressEnter("- one\n- |\nAfter")).toBe("- one\n\n|\n\nAfter");
  });

  it("moves an empty nested item up a level instead of leaving the list", () => {
    expect(pressEnter("- one\n  - two\n  - |")).toBe("- one\n  - two\n- |");
  });

  it("continues a quote, and leaves it on an empty quote line", () => {
    expect(pressEnter("> quoted|")).toBe("> quoted\n> |");
    expect(pressEnter("> quoted\n> |")).toBe("> quoted\n\n|");
  });

  it("adds no language indentation inside fenced code, and keeps the line's own", () => {
    expect(pressEnter("```js\nfunction f() {|")).toBe("```js\nfunction f() {\n|");
    expect(pressEnter("```js\nif (a) {\n  go();|\n}\n```")).toBe("```js\nif (a) {\n  go();\n  |\n}\n```");
    // After an unclosed block everything is code: still no indentation added.
    expect(pressEnter("```js\nconst a = {|\n\nLater text")).toBe("```js\nconst a = {\n|\n\nLater text");
  });

  it("treats list-like lines inside code as code", () => {
    expect(pressEnter("```\n- |\n```")).toBe("```\n- \n|\n```");
  });
});

describe("pasting rich text", () => {
  it("turns headings, links, emphasis, lists, quotes, code and tables into Markdown", () => {
    const html = [
      "<h2>Release notes</h2>",
      '<p>Some <b>bold</b>, <i>italic</i> and <a href="https://example.com/a">a link</a>.</p>',
      "<ul><li>one</li><li>two</li></ul>",
      "<ol><li>first</li><li>second</li></ol>",
      "<blockquote><p>quoted</p></blockquote>",
      '<pre><code class="language-js">if (a) {\n  go();\n}</code></pre>',
      "<p>Inline <code>x()</code></p>",
      "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
    ].join("");
    expect(htmlToMarkdown(html)).toEqual({
      rich: true,
      droppedImages: 0,
      markdown: [
        "## Release notes",
        "",
        "Some **bold**, _italic_ and [a link](https://example.com/a).",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "2. second",
        "",
        "> quoted",
        "",
        "```js",
        "if (a) {",
        "  go();",
        "}",
        "```",
        "",
        "Inline `x()`",
        "",
        "| A | B |",
        "| - | - |",
        "| 1 | 2 |",
      ].join("\n"),
    });
  });

  it("reads the inline styles of word processors (Google Docs) as bold and italic", () => {
    const html =
      '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr"><span style="font-weight:700;">Bold</span>' +
      '<span style="font-weight:400;"> then </span><span style="font-style:italic;font-weight:400">slanted</span></p></b>';
    expect(htmlToMarkdown(html).markdown).toBe("**Bold** then _slanted_");
  });

  it("gives a table without a header row its first row as header", () => {
    expect(htmlToMarkdown("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>").markdown).toBe("| a | b |\n| - | - |\n| c | d |");
  });

  it("leaves out images that are not on the web, and counts them", () => {
    const pasted = htmlToMarkdown('<p>See <img src="file:///C:/shot.png"> and <img src="https://example.com/i.png" alt="pic"></p>');
    expect(pasted.markdown).toBe("See and ![pic](https://example.com/i.png)");
    expect(pasted.droppedImages).toBe(1);
  });

  it("reports HTML without formatting (a code editor's coloured spans) as not rich, to paste as plain text", () => {
    expect(htmlToMarkdown('<div style="font-family: monospace"><div><span style="color:#569cd6">const</span> a = 1;</div></div>').rich).toBe(false);
  });
});
