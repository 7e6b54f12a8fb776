"use client";

import { useState } from "react";
import { POST_TAGS_MAX, postTagSchema } from "@/lib/validations/post";
import { cn } from "../ui/cn";
import { FieldError } from "../ui/form-field";
import { controlClasses } from "../ui/input";

// Tags as chips, normalised the way the server stores them ("Web Dev" becomes web-dev): the writer sees
// the tag that will be saved. Enter or a comma adds one; Backspace in the empty field removes the last.

export interface TagsFieldProps {
  id: string;
  tags: string[];
  onChange(tags: string[]): void;
  /** The server's message for the tags, if it refused them. */
  errors?: readonly string[];
  disabled?: boolean;
}

export function TagsField({ id, tags, onChange, errors, disabled }: TagsFieldProps) {
  const [text, setText] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const error = localError ?? errors?.[0] ?? null;
  const full = tags.length >= POST_TAGS_MAX;
  const preview = text.trim() ? postTagSchema.safeParse(text) : null;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  function add(raw: string): boolean {
    if (!raw.trim()) return true;
    const parsed = postTagSchema.safeParse(raw);
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? "This tag is not valid.");
      return false;
    }
    if (tags.includes(parsed.data)) {
      setText("");
      setLocalError(null);
      return true;
    }
    if (full) {
      setLocalError(`Use at most ${POST_TAGS_MAX} tags.`);
      return false;
    }
    onChange([...tags, parsed.data]);
    setText("");
    setLocalError(null);
    return true;
  }

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        Tags
      </label>
      <p id={hintId} className="text-sm text-stone-500">
        Up to {POST_TAGS_MAX}. Press Enter or a comma after each.
      </p>
      {tags.length > 0 ? (
        <ul aria-label="Tags on this post" className="flex flex-wrap gap-1.5">
          {tags.map((tag) => (
            <li key={tag} className="inline-flex items-center gap-1 rounded-full bg-accent-50 py-0.5 pr-1 pl-2.5 text-sm text-accent-800 ring-1 ring-accent-200 ring-inset">
              <span>#{tag}</span>
              <button
                type="button"
                disabled={disabled}
                aria-label={`Remove tag ${tag}`}
                onClick={() => {
                  onChange(tags.filter((t) => t !== tag));
                  setLocalError(null);
                }}
                className="touch:size-11 inline-flex size-5 items-center justify-center rounded-full text-accent-700 hover:bg-accent-100 hover:text-accent-900"
              >
                <svg viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
                  <path d="m4 4 8 8M12 4l-8 8" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        type="text"
        autoComplete="off"
        disabled={disabled || (full && !text)}
        placeholder={full ? `${POST_TAGS_MAX} tags: remove one to add another` : "e.g. Web Dev"}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(" ")}
        onChange={(event) => {
          const value = event.target.value;
          if (value.includes(",")) {
            const parts = value.split(",");
            const rest = parts.pop() ?? "";
            for (const part of parts) if (!add(part)) return;
            setText(rest);
            return;
          }
          setText(value);
          setLocalError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            add(text);
          } else if (event.key === "Backspace" && text === "" && tags.length > 0) {
            onChange(tags.slice(0, -1));
          }
        }}
        onBlur={() => {
          if (text.trim()) add(text);
        }}
        className={cn(controlClasses, "h-10 text-base sm:text-sm")}
      />
      {preview?.success && preview.data !== text.trim() ? (
        <p className="text-xs text-stone-500">
          Will be added as <span className="font-medium text-stone-700">#{preview.data}</span>
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}
