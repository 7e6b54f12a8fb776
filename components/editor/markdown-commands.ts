import { EditorSelection, type ChangeSpec, type EditorState, type SelectionRange } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";

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
