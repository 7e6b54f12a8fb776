"use client";

import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { z } from "zod";
import { cn } from "../ui/cn";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import type { FormatCommand } from "./markdown-commands";

// The formatting toolbar above the body: one tab stop (arrow keys move between buttons, as the ARIA
// toolbar pattern has it), each button named, with its shortcut where there is one.

const icons: Record<FormatCommand | "image", ReactNode> = {
  heading: <path d="M6 4v16M18 4v16M6 12h12" />,
  bold: <path d="M7 4h6.5a4 4 0 0 1 0 8H7zM7 12h7.5a4 4 0 0 1 0 8H7z" />,
  italic: <path d="M15 4h-5M14 20H9M14.5 4l-5 16" />,
  link: (
    <>
      <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
      <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
    </>
  ),
  quote: <path d="M4 7h6v6c0 3-2 4.5-4 5M14 7h6v6c0 3-2 4.5-4 5" />,
  code: <path d="m9 7-5 5 5 5M15 7l5 5-5 5" />,
  list: <path d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" />,
  image: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="10" r="2" />
      <path d="m21 16-5-5-9 9" />
    </>
  ),
};

const buttons: ReadonlyArray<{ command: FormatCommand; label: string; shortcut?: string }> = [
  { command: "heading", label: "Heading" },
  { command: "bold", label: "Bold", shortcut: "B" },
  { command: "italic", label: "Italic", shortcut: "I" },
  { command: "link", label: "Link", shortcut: "K" },
  { command: "quote", label: "Quote" },
  { command: "code", label: "Code" },
  { command: "list", label: "Bulleted list" },
];

function Icon({ name }: { name: FormatCommand | "image" }) {
  return (
    <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {icons[name]}
    </svg>
  );
}

const imageUrlSchema = z
  .string()
  .trim()
  .min(1, "Paste the image’s address.")
  .pipe(z.url({ protocol: /^https?$/, message: "The image URL must be an http:// or https:// address." }));

export interface FormattingToolbarProps {
  /** Id of the editor the toolbar acts on. */
  controls: string;
  disabled?: boolean;
  onFormat(command: FormatCommand): void;
  onInsertImage(url: string, alt: string): void;
  /** Image files picked from the device: to upload (the Image panel's "Upload from device"). */
  onUploadImages?(files: File[]): void;
}

export function FormattingToolbar({ controls, disabled, onFormat, onInsertImage, onUploadImages }: FormattingToolbarProps) {
  const [active, setActive] = useState(0);
  const [imageOpen, setImageOpen] = useState(false);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const imageButtonRef = useRef<HTMLButtonElement>(null);
  const formId = useId();
  const count = buttons.length + 1;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const keys: Record<string, number> = { ArrowRight: active + 1, ArrowLeft: active - 1, Home: 0, End: count - 1 };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = (next + count) % count;
    setActive(index);
    toolbarRef.current?.querySelectorAll<HTMLButtonElement>("[data-toolbar-item]")[index]?.focus();
  }

  const itemClasses =
    "inline-flex size-8 touch:size-11 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/70 hover:text-stone-900 " +
    "focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent-600 disabled:opacity-50";

  return (
    <div>
      <div
        ref={toolbarRef}
        role="toolbar"
        aria-label="Formatting"
        aria-controls={controls}
        onKeyDown={onKeyDown}
        className="flex flex-wrap items-center gap-0.5 border-b border-stone-200 bg-stone-50 px-2 py-1"
      >
        {buttons.map((button, index) => (
          <span key={button.command} className="contents">
            {index === 1 || index === 4 ? <span aria-hidden="true" className="mx-1 h-5 w-px bg-stone-200" /> : null}
            <button
              type="button"
              data-toolbar-item
              tabIndex={active === index ? 0 : -1}
              aria-label={button.label}
              aria-keyshortcuts={button.shortcut ? `Control+${button.shortcut} Meta+${button.shortcut}` : undefined}
              title={button.shortcut ? `${button.label} (Ctrl/⌘+${button.shortcut})` : button.label}
              disabled={disabled}
              onFocus={() => setActive(index)}
              // Keep the editor's selection: the button acts on it without taking focus on mouse down.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onFormat(button.command)}
              className={itemClasses}
            >
              <Icon name={button.command} />
            </button>
          </span>
        ))}
        <span aria-hidden="true" className="mx-1 h-5 w-px bg-stone-200" />
        <button
          ref={imageButtonRef}
          type="button"
          data-toolbar-item
          tabIndex={active === buttons.length ? 0 : -1}
          aria-label="Image"
          aria-expanded={imageOpen}
          aria-controls={imageOpen ? formId : undefined}
          title="Image by URL"
          disabled={disabled}
          onFocus={() => setActive(buttons.length)}
          onClick={() => setImageOpen((open) => !open)}
          className={cn(itemClasses, imageOpen && "bg-stone-200/70 text-stone-900")}
        >
          <Icon name="image" />
        </button>
      </div>
      {imageOpen ? (
        <ImageForm
          id={formId}
          onInsert={(url, alt) => {
            setImageOpen(false);
            onInsertImage(url, alt);
          }}
          onCancel={() => {
            setImageOpen(false);
            imageButtonRef.current?.focus();
          }}
          onUpload={
            onUploadImages
              ? (files) => {
                  setImageOpen(false);
                  onUploadImages(files);
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}

function ImageForm({ id, onInsert, onCancel, onUpload }: { id: string; onInsert(url: string, alt: string): void; onCancel(): void; onUpload?(files: File[]): void }) {
  const [url, setUrl] = useState("");
  const [alt, setAlt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const errorId = `${id}-error`;

  function insert() {
    const checked = imageUrlSchema.safeParse(url);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Check the address.");
      return;
    }
    onInsert(checked.data, alt);
  }

  return (
    // Not a <form>: it sits inside the editor's layout, and Enter in its fields inserts the image.
    <div
      id={id}
      role="group"
      aria-label="Insert an image"
      className="grid gap-3 border-b border-stone-200 bg-stone-50 px-3 py-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onCancel();
        } else if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
          event.preventDefault();
          insert();
        }
      }}
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-url`} className="block text-xs font-medium text-stone-700">
          Image URL
        </label>
        <Input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoFocus
          placeholder="https://…"
          value={url}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setUrl(event.target.value);
            setError(null);
          }}
          className="h-9"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-alt`} className="block text-xs font-medium text-stone-700">
          Alt text <span className="font-normal text-stone-500">(what the image shows)</span>
        </label>
        <Input id={`${id}-alt`} value={alt} onChange={(event) => setAlt(event.target.value)} className="h-9" />
      </div>
      <div className="flex gap-2">
        <Button size="sm" className="h-9" onClick={insert}>
          Insert image
        </Button>
        <Button size="sm" variant="ghost" className="h-9" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {onUpload ? (
        <div className="flex items-center gap-2 sm:col-span-3">
          <label htmlFor={`${id}-file`} className="text-xs font-medium text-stone-700">
            Or upload from your device
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept="image/jpeg,image/png,image/webp,image/avif,image/gif,image/heic"
            multiple
            className="text-sm text-stone-700 file:mr-2 file:rounded-md file:border file:border-stone-300 file:bg-white file:px-2 file:py-1"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              if (files.length > 0) onUpload(files);
            }}
          />
        </div>
      ) : null}
      {error ? (
        <p id={errorId} className="text-sm font-medium text-red-700 sm:col-span-3">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}
