"use client";

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdown, markdownLanguage, pasteURLAsLink } from "@codemirror/lang-markdown";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { languages } from "@codemirror/language-data";
import { Annotation, EditorState, Prec } from "@codemirror/state";
import { drawSelection, dropCursor, EditorView, highlightSpecialChars, keymap, placeholder as placeholderText } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useEffectEvent, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from "react";
import { cn } from "../ui/cn";
import { useHydrated } from "../use-hydrated";
import { insertImage, insideCode, markdownEnterKeymap, runFormat, type FormatCommand } from "./markdown-commands";

// The Markdown body: CodeMirror 6 with Markdown highlighting (code blocks in their own language), the
// formatting shortcuts, and a label for assistive technology. Tab is left to the browser (no
// indentWithTab), so keyboard users are never trapped in the editor. Enter keeps the text's structure
// (see markdownEnterKeymap); rich text pasted from documents and web pages arrives as Markdown.

/** The HTML→Markdown converter is loaded on first use (most sessions never paste rich text). */
let pasteConverter: Promise<typeof import("./paste-html")> | null = null;
function loadPasteConverter() {
  pasteConverter ??= import("./paste-html").catch((error: unknown) => {
    pasteConverter = null; // a failed chunk load (offline) is tried again on the next paste
    throw error;
  });
  return pasteConverter;
}

import { imageFilesOf } from "./image-upload";

/** Images inside pasted rich text are not fetched from the page they came from. */
const DROPPED_IMAGES_MESSAGE = "copy each image itself to upload it, or add it by address with the Image button.";

/**
 * Pasted rich text becomes Markdown; plain text (and anything pasted into a code block) stays as it is;
 * an image file is refused with a message, never silently.
 */
function handlePaste(event: ClipboardEvent, view: EditorView, announce: (message: string) => void, onImageFiles: (files: File[]) => void): boolean {
  const data = event.clipboardData;
  if (!data) return false;
  const html = data.getData("text/html");
  const plain = data.getData("text/plain");
  const { from, to } = view.state.selection.main;
  if (!html.trim() || insideCode(view.state, from)) {
    const files = imageFilesOf(data);
    if (files.length === 0 || plain) return false;
    event.preventDefault();
    onImageFiles(files); // uploaded; the Markdown goes in once the writer has described the image
    return true;
  }
  event.preventDefault();
  const insert = (text: string) => {
    // The converter may load after more typing: insert where the selection was, mapped through it.
    const start = Math.min(from, view.state.doc.length);
    const end = Math.min(Math.max(to, start), view.state.doc.length);
    view.dispatch({ changes: { from: start, to: end, insert: text }, selection: { anchor: start + text.length }, scrollIntoView: true, userEvent: "input.paste" });
  };
  void loadPasteConverter().then(
    ({ htmlToMarkdown }) => {
      const pasted = htmlToMarkdown(html);
      insert(pasted.rich && pasted.markdown ? pasted.markdown : plain);
      if (pasted.droppedImages > 0) announce(`${pasted.droppedImages === 1 ? "One image was" : `${pasted.droppedImages} images were`} left out: ${DROPPED_IMAGES_MESSAGE}`);
      else if (pasted.rich) announce("Pasted as Markdown.");
    },
    () => insert(plain),
  );
  return true;
}

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
  /** Image files pasted or dropped into the text: to upload. */
  onImageFiles?(files: File[]): void;
}

/** Marks changes that come from outside (not typing), so they are not reported back as edits. */
const external = Annotation.define<boolean>();

const inkHighlight = HighlightStyle.define([
  { tag: tags.heading1, fontWeight: "700", color: "var(--color-stone-900)", fontSize: "1.2em" },
  { tag: tags.heading2, fontWeight: "700", color: "var(--color-stone-900)", fontSize: "1.1em" },
  { tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontWeight: "700", color: "var(--color-stone-900)" },
  { tag: tags.strong, fontWeight: "700", color: "var(--color-stone-900)" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strikethrough, textDecoration: "line-through" },
  { tag: [tags.link, tags.url], color: "var(--color-accent-600)" },
  { tag: tags.url, textDecoration: "underline", textDecorationColor: "var(--color-accent-300)" },
  { tag: tags.quote, color: "var(--color-stone-600)", fontStyle: "italic" },
  { tag: tags.monospace, color: "var(--color-rose-800)" },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.meta], color: "var(--color-stone-500)" },
  { tag: tags.list, color: "var(--color-stone-700)" },
  // Code inside fenced blocks.
  { tag: [tags.keyword, tags.modifier, tags.operatorKeyword], color: "var(--color-violet-600)" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "var(--color-emerald-700)" },
  { tag: [tags.comment, tags.blockComment, tags.lineComment], color: "var(--color-stone-500)", fontStyle: "italic" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--color-amber-700)" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--color-blue-700)" },
  { tag: [tags.typeName, tags.className, tags.namespace], color: "var(--color-cyan-700)" },
  { tag: [tags.tagName, tags.attributeName], color: "var(--color-pink-700)" },
  { tag: tags.invalid, color: "var(--color-red-700)" },
]);

const inkTheme = EditorView.theme({
  "&": { backgroundColor: "transparent", color: "var(--color-stone-800)", fontSize: "0.95rem" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.75rem", overflow: "visible" },
  ".cm-content": { minHeight: "55vh", padding: "0.75rem 0", caretColor: "var(--color-accent-700)" },
  ".cm-line": { padding: "0 1rem" },
  ".cm-placeholder": { color: "var(--color-stone-500)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--color-accent-700)", borderLeftWidth: "2px" },
  ".cm-selectionBackground": { backgroundColor: "var(--color-stone-200) !important" },
  "&.cm-focused .cm-selectionBackground": { backgroundColor: "var(--color-accent-200) !important" },
});

export function MarkdownEditor({ ref, id, value, revision, onChange, labelledBy, describedBy, invalid, placeholder, className, onImageFiles }: MarkdownEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const revisionRef = useRef(revision);

  const [pasteNotice, setPasteNotice] = useState("");
  const reportChange = useEffectEvent((text: string) => onChange(text));
  const announce = useEffectEvent((message: string) => setPasteNotice(message));
  const imageFiles = useEffectEvent((files: File[]) => onImageFiles?.(files));
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
          // The page scrolls (not the editor): keep the caret out from under the sticky editor bar.
          EditorView.scrollMargins.of(() => {
            const bar = document.querySelector("[data-editor-bar]");
            return bar ? { top: bar.getBoundingClientRect().height + 8 } : null;
          }),
          EditorState.allowMultipleSelections.of(true),
          // Our own Enter and Backspace below (Prec.highest) replace lang-markdown's keymap.
          markdown({ base: markdownLanguage, codeLanguages: languages, addKeymap: false }),
          Prec.highest(keymap.of(markdownEnterKeymap)),
          pasteURLAsLink,
          EditorView.domEventHandlers({
            paste: (event, view) => handlePaste(event, view, announce, imageFiles),
            drop: (event) => {
              const files = imageFilesOf(event.dataTransfer);
              if (files.length === 0) return false;
              event.preventDefault();
              imageFiles(files);
              return true;
            },
          }),
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
    // Fetch the converter while the writer reads, so a paste converts without a wait.
    const preload = window.setTimeout(() => void loadPasteConverter().catch(() => {}), 2_000);
    return () => {
      window.clearTimeout(preload);
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
      {/* Always in the page, so that what is put in it is announced. */}
      <p role="status" aria-live="polite" className="px-4 text-sm text-stone-600 empty:hidden">
        {pasteNotice}
      </p>
    </div>
  );
}
