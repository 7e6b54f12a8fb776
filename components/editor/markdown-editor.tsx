"use client";

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdown, markdownLanguage, pasteURLAsLink } from "@codemirror/lang-markdown";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { languages } from "@codemirror/language-data";
import { Annotation, EditorState, Prec } from "@codemirror/state";
import { drawSelection, dropCursor, EditorView, highlightSpecialChars, keymap, placeholder as placeholderText } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useEffectEvent, useImperativeHandle, useLayoutEffect, useRef, type Ref } from "react";
import { cn } from "../ui/cn";
import { useHydrated } from "../use-hydrated";
import { insertImage, runFormat, type FormatCommand } from "./markdown-commands";

// The Markdown body: CodeMirror 6 with Markdown highlighting (code blocks in their own language), the
// formatting shortcuts, and a label for assistive technology. Tab is left to the browser (no
// indentWithTab), so keyboard users are never trapped in the editor.

export interface MarkdownEditorHandle {
  focus(): void;
  format(command: FormatCommand): void;
  insertImage(url: string, alt: string): void;
}

export interface MarkdownEditorProps {
  ref?: Ref<MarkdownEditorHandle>;
  /** The text; read at mount and whenever `revision` changes (it is not a controlled value). */
  value: string;
  /** Bump to replace the text with `value` (a restored revision, the server's version). */
  revision: number;
  onChange(value: string): void;
  /** Id of the editable element (for the toolbar's aria-controls). */
  id: string;
  /** Id of the visible label. */
  labelledBy: string;
  describedBy?: string;
  invalid?: boolean;
  placeholder?: string;
  className?: string;
}

/** Marks changes that come from outside (not typing), so they are not reported back as edits. */
const external = Annotation.define<boolean>();

const inkHighlight = HighlightStyle.define([
  { tag: tags.heading1, fontWeight: "700", color: "#1c1917", fontSize: "1.2em" },
  { tag: tags.heading2, fontWeight: "700", color: "#1c1917", fontSize: "1.1em" },
  { tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontWeight: "700", color: "#1c1917" },
  { tag: tags.strong, fontWeight: "700", color: "#1c1917" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: [tags.link, tags.url], color: "#316864" },
  { tag: tags.url, textDecoration: "underline", textDecorationColor: "#86bdb6" },
  { tag: tags.quote, color: "#57534e", fontStyle: "italic" },
  { tag: tags.monospace, color: "#9f1239" },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.meta], color: "#78716c" },
  { tag: tags.list, color: "#44403c" },
  // Code inside fenced blocks.
  { tag: [tags.keyword, tags.modifier, tags.operatorKeyword], color: "#7c3aed" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "#047857" },
  { tag: [tags.comment, tags.blockComment, tags.lineComment], color: "#78716c", fontStyle: "italic" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "#b45309" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "#1d4ed8" },
  { tag: [tags.typeName, tags.className, tags.namespace], color: "#0e7490" },
  { tag: [tags.tagName, tags.attributeName], color: "#be185d" },
  { tag: tags.invalid, color: "#b91c1c" },
]);

const inkTheme = EditorView.theme({
  "&": { backgroundColor: "transparent", color: "#292524", fontSize: "0.95rem" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.75rem", overflow: "visible" },
  ".cm-content": { minHeight: "55vh", padding: "0.75rem 0", caretColor: "#2a5552" },
  ".cm-line": { padding: "0 1rem" },
  ".cm-placeholder": { color: "#78716c" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "#2a5552", borderLeftWidth: "2px" },
  ".cm-selectionBackground": { backgroundColor: "#e7e5e4 !important" },
  "&.cm-focused .cm-selectionBackground": { backgroundColor: "#b4d8d3 !important" },
});

export function MarkdownEditor({ ref, id, value, revision, onChange, labelledBy, describedBy, invalid, placeholder, className }: MarkdownEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const revisionRef = useRef(revision);

  const reportChange = useEffectEvent((text: string) => onChange(text));
  const initialValue = useEffectEvent(() => value);
  const contentAttributes = useEffectEvent(() => ({ id, labelledBy, placeholder }));

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const attributes = contentAttributes();
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: initialValue(),
        extensions: [
          history(),
          drawSelection(),
          dropCursor(),
          highlightSpecialChars(),
          EditorView.lineWrapping,
          EditorState.allowMultipleSelections.of(true),
          markdown({ base: markdownLanguage, codeLanguages: languages }),
          pasteURLAsLink,
          syntaxHighlighting(inkHighlight),
          inkTheme,
          placeholderText(attributes.placeholder ?? ""),
          Prec.high(
            keymap.of([
              { key: "Mod-b", run: (v) => runFormat(v, "bold") },
              { key: "Mod-i", run: (v) => runFormat(v, "italic") },
              { key: "Mod-k", run: (v) => runFormat(v, "link") },
            ]),
          ),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.contentAttributes.of({
            id: attributes.id,
            "aria-labelledby": attributes.labelledBy,
            spellcheck: "true",
            autocorrect: "on",
            autocapitalize: "sentences",
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(external))) {
              reportChange(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
    // The DOM holds only the lines on screen; end-to-end tests read the whole text through this.
    Object.defineProperty(view.contentDOM, "inkwellMarkdown", { get: () => view.state.doc.toString() });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  // Description and validity change with field errors.
  useEffect(() => {
    const content = viewRef.current?.contentDOM;
    if (!content) return;
    if (describedBy) content.setAttribute("aria-describedby", describedBy);
    else content.removeAttribute("aria-describedby");
    if (invalid) content.setAttribute("aria-invalid", "true");
    else content.removeAttribute("aria-invalid");
  }, [describedBy, invalid]);

  // Replace the text when told to (the editor keeps its own undo history of it).
  useEffect(() => {
    const view = viewRef.current;
    if (!view || revision === revisionRef.current) return;
    revisionRef.current = revision;
    if (view.state.doc.toString() === value) return;
    const head = Math.min(view.state.selection.main.head, value.length);
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, selection: { anchor: head }, annotations: external.of(true) });
  }, [revision, value]);

  useImperativeHandle(
    ref,
    () => ({
      focus: () => viewRef.current?.focus(),
      format: (command) => {
        const view = viewRef.current;
        if (!view) return;
        runFormat(view, command);
        view.focus();
      },
      insertImage: (url, alt) => {
        const view = viewRef.current;
        if (!view) return;
        insertImage(view, url, alt);
        view.focus();
      },
    }),
    [],
  );

  const hydrated = useHydrated();
  return (
    <div className={cn("min-w-0 bg-white has-[.cm-focused]:outline-2 has-[.cm-focused]:-outline-offset-1 has-[.cm-focused]:outline-accent-600/50", className)}>
      {hydrated ? null : (
        // The server's rendering, until the editor takes over: the same text where it will be.
        <div aria-hidden="true" className="min-h-[55vh] px-4 py-3 font-mono text-[0.95rem] leading-7 whitespace-pre-wrap text-stone-800">
          {value.slice(0, 4_000) || <span className="text-stone-500">{placeholder}</span>}
        </div>
      )}
      <div ref={hostRef} />
    </div>
  );
}
