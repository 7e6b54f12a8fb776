import { insertNewlineKeepIndent } from "@codemirror/commands";
import { deleteMarkupBackward, insertNewlineContinueMarkupCommand } from "@codemirror/lang-markdown";
import { syntaxTree } from "@codemirror/language";
import { EditorSelection, type ChangeSpec, type EditorState, type SelectionRange, type StateCommand } from "@codemirror/state";
import type { EditorView, KeyBinding } from "@codemirror/view";

// Markdown formatting as CodeMirror commands, shared by the toolbar and the shortcuts. Each acts on every
// selection range and toggles: applying bold to bold text removes it.

export type FormatCommand = "heading" | "bold" | "italic" | "link" | "quote" | "code" | "list";

function wrapRange(state: EditorState, range: SelectionRange, marker: string) {
  const size = marker.length;
  const before = state.sliceDoc(range.from - size, range.from);
  const after = state.sliceDoc(range.to, range.to + size);
  // Already wrapped just outside the selection: unwrap.
  if (before === marker && after === marker) {
    return {
      changes: [
        { from: range.from - size, to: range.from },
        { from: range.to, to: range.to + size },
      ],
      range: EditorSelection.range(range.from - size, range.to - size),
    };
  }
  const text = state.sliceDoc(range.from, range.to);
  // The selection includes the markers: unwrap.
  if (text.length >= size * 2 && text.startsWith(marker) && text.endsWith(marker)) {
    return {
      changes: { from: range.from, to: range.to, insert: text.slice(size, -size) },
      range: EditorSelection.range(range.from, range.to - size * 2),
    };
  }
  return {
    changes: [
      { from: range.from, insert: marker },
      { from: range.to, insert: marker },
    ],
    range: EditorSelection.range(range.from + size, range.to + size),
  };
}

function wrap(view: EditorView, marker: string): boolean {
  view.dispatch(view.state.changeByRange((range) => wrapRange(view.state, range, marker)), { scrollIntoView: true, userEvent: "input.format" });
  return true;
}

/** Adds `prefix` to every line of the selection, or removes it (`pattern`) if all lines have one. */
function toggleLinePrefix(view: EditorView, prefix: string, pattern: RegExp): boolean {
  const { state } = view;
  const changes: ChangeSpec[] = [];
  const seen = new Set<number>();
  const lines = state.selection.ranges.flatMap((range) => {
    const result = [];
    for (let pos = range.from; pos <= range.to; ) {
      const line = state.doc.lineAt(pos);
      if (!seen.has(line.number)) {
        seen.add(line.number);
        result.push(line);
      }
      pos = line.to + 1;
    }
    return result;
  });
  const content = lines.filter((line) => line.text.trim() !== "" || lines.length === 1);
  const allPrefixed = content.length > 0 && content.every((line) => pattern.test(line.text));
  for (const line of content) {
    const match = pattern.exec(line.text);
    if (allPrefixed && match) changes.push({ from: line.from, to: line.from + match[0].length });
    else if (!allPrefixed) {
      // Replace another block prefix (a heading becoming a quote) rather than stacking them.
      const other = /^(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/.exec(line.text);
      changes.push({ from: line.from, to: line.from + (other?.[0].length ?? 0), insert: prefix });
    }
  }
  // A caret at the start of a line ends up after the new prefix, ready to type.
  const changeSet = state.changes(changes);
  view.dispatch({ changes: changeSet, selection: state.selection.map(changeSet, 1), scrollIntoView: true, userEvent: "input.format" });
  return true;
}

function link(view: EditorView): boolean {
  view.dispatch(
    view.state.changeByRange((range) => {
      const text = view.state.sliceDoc(range.from, range.to);
      if (!text) {
        // [link text](https://) with "link text" selected, to type over.
        const label = "link text";
        return { changes: { from: range.from, insert: `[${label}](https://)` }, range: EditorSelection.range(range.from + 1, range.from + 1 + label.length) };
      }
      if (/^https?:\/\/\S+$/.test(text)) {
        return { changes: { from: range.from, to: range.to, insert: `[](${text})` }, range: EditorSelection.cursor(range.from + 1) };
      }
      // [text](https://) with the address selected, to paste over.
      const insert = `[${text}](https://)`;
      const urlStart = range.from + text.length + 3;
      return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.range(urlStart, urlStart + "https://".length) };
    }),
    { scrollIntoView: true, userEvent: "input.format" },
  );
  return true;
}

function code(view: EditorView): boolean {
  const { state } = view;
  const main = state.selection.main;
  if (state.doc.lineAt(main.from).number !== state.doc.lineAt(main.to).number) {
    // Several lines: a fenced block around them.
    const from = state.doc.lineAt(main.from).from;
    const to = state.doc.lineAt(main.to).to;
    const body = state.sliceDoc(from, to);
    const insert = "```\n" + body + "\n```";
    view.dispatch({ changes: { from, to, insert }, selection: EditorSelection.range(from + 4, from + 4 + body.length), scrollIntoView: true, userEvent: "input.format" });
    return true;
  }
  return wrap(view, "`");
}

export function runFormat(view: EditorView, command: FormatCommand): boolean {
  switch (command) {
    case "bold":
      return wrap(view, "**");
    case "italic":
      return wrap(view, "_");
    case "code":
      return code(view);
    case "link":
      return link(view);
    case "heading":
      return toggleLinePrefix(view, "## ", /^#{1,6}\s+/);
    case "quote":
      return toggleLinePrefix(view, "> ", /^>\s?/);
    case "list":
      return toggleLinePrefix(view, "- ", /^[-*+]\s+/);
  }
}

/** Inserts `![alt](url)` on a line of its own at the cursor. */
export function insertImage(view: EditorView, url: string, alt: string): void {
  const { state } = view;
  const main = state.selection.main;
  const line = state.doc.lineAt(main.to);
  const atLineStart = main.to === line.from;
  const cleanAlt = alt.replace(/[[\]\n]/g, " ").trim();
  const markup = `![${cleanAlt}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
  const before = atLineStart ? "" : "\n\n";
  const after = state.doc.length > main.to && !atLineStart ? "" : "\n";
  const insert = `${before}${markup}${after}`;
  view.dispatch({
    changes: { from: main.from, to: main.to, insert },
    selection: EditorSelection.cursor(main.from + insert.length),
    scrollIntoView: true,
    userEvent: "input.format",
  });
}

const EMPTY_LIST_ITEM = /^[-+*](?: \[[ xX]\])?[ \t]*$|^\d+[.)][ \t]*$/;
const EMPTY_QUOTE_LINE = /^>[ \t]*$/;

/** True inside a fenced or indented code block, where text is taken as it is. */
export function insideCode(state: EditorState, pos: number): boolean {
  let node = syntaxTree(state).resolveInner(pos, -1);
  for (;;) {
    if (node.name === "FencedCode" || node.name === "CodeBlock") return true;
    if (!node.parent) return false;
    node = node.parent;
  }
}

/**
 * Enter on an empty top-level list item or quote line ends the list or quote: the marker goes, and a
 * blank line keeps what is typed next out of it (without one, Markdown reads the next line as more of
 * the last item or the quote). Nested items are left to lang-markdown, which moves them up a level.
 */
export const exitEmptyBlock: StateCommand = ({ state, dispatch }) => {
  const range = state.selection.main;
  if (state.selection.ranges.length > 1 || !range.empty || insideCode(state, range.head)) return false;
  const line = state.doc.lineAt(range.head);
  if (range.head !== line.to || !(EMPTY_LIST_ITEM.test(line.text) || EMPTY_QUOTE_LINE.test(line.text))) return false;
  const previous = line.number > 1 ? state.doc.line(line.number - 1).text : "";
  const next = line.number < state.doc.lines ? state.doc.line(line.number + 1).text : "";
  const blankBefore = previous.trim() === "" ? "" : state.lineBreak;
  const blankAfter = next.trim() === "" ? "" : state.lineBreak;
  dispatch(
    state.update({
      changes: { from: line.from, to: line.to, insert: blankBefore + blankAfter },
      selection: EditorSelection.cursor(line.from + blankBefore.length),
      scrollIntoView: true,
      userEvent: "input",
    }),
  );
  return true;
};

/** Continues a list or quote on the next line (lang-markdown); an empty nested item moves up a level. */
const continueMarkup = insertNewlineContinueMarkupCommand({ nonTightLists: false });

/**
 * Enter: leaves an empty list or quote, else continues its markup. Everywhere else (fenced code
 * included) it keeps the previous line's indentation and nothing more: no language's auto-indent,
 * which in an unclosed JavaScript block indented every later line of a post.
 */
export const markdownEnter: StateCommand = (target) => exitEmptyBlock(target) || continueMarkup(target) || insertNewlineKeepIndent(target);

export const markdownEnterKeymap: readonly KeyBinding[] = [
  { key: "Enter", run: markdownEnter },
  { key: "Backspace", run: deleteMarkupBackward },
];
