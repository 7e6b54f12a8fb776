"use client";

import { useEffect, useRef, useState } from "react";
import { POST_MARKDOWN_MAX } from "@/lib/validations/post";
import { useTRPCClient } from "@/trpc/react";
import { errorMessage } from "../trpc-errors";
import { Alert } from "../ui/alert";
import { cn } from "../ui/cn";
import { Spinner } from "../ui/spinner";
import "./preview.css";

// The post as readers will get it: rendered by the server's own pipeline (posts.preview, the worker's
// code), a moment after typing stops. The last rendering stays on screen while the next one is made.

const PREVIEW_DELAY_MS = 400;

export function PreviewPane({ id, title, markdown, className }: { id: string; title: string; markdown: string; className?: string }) {
  const client = useTRPCClient();
  const [rendered, setRendered] = useState<{ markdown: string; html: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rendering = useRef(0);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(
      () => {
        const request = ++rendering.current;
        if (markdown.length > POST_MARKDOWN_MAX) {
          setError(`The post is too long to preview: at most ${POST_MARKDOWN_MAX.toLocaleString("en")} characters.`);
          return;
        }
        client.posts.preview.mutate({ markdown }).then(
          (result) => {
            if (cancelled || request !== rendering.current) return;
            setRendered({ markdown, html: result.html });
            setError(null);
          },
          (failure: unknown) => {
            if (cancelled || request !== rendering.current) return;
            setError(errorMessage(failure, "The preview could not be rendered."));
          },
        );
      },
      rendering.current === 0 ? 0 : PREVIEW_DELAY_MS,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, markdown]);

  const stale = rendered === null || rendered.markdown !== markdown;

  return (
    <section
      id={id}
      aria-label="Preview"
      aria-busy={stale && !error}
      className={cn("inkwell-preview min-w-0 rounded-md border border-stone-200 bg-white px-5 py-6 sm:px-8", className)}
    >
      <div className="mb-4 flex items-center justify-between gap-3">
        <p className="text-xs font-semibold tracking-widest text-stone-500 uppercase" aria-hidden="true">
          Preview
        </p>
        {stale && !error ? (
          <p className="flex items-center gap-1.5 text-xs text-stone-500">
            <Spinner className="size-3" /> {rendered ? "Updating…" : "Rendering…"}
          </p>
        ) : null}
      </div>
      {title.trim() ? <p className="mb-6 font-serif text-3xl leading-tight font-semibold tracking-tight text-stone-900 sm:text-4xl">{title}</p> : null}
      {error ? (
        <Alert tone="error" title="The preview could not be rendered" className="mb-4">
          {error}
        </Alert>
      ) : null}
      {rendered?.html ? (
        // Sanitized by the server's render pipeline (the same one readers get).
        <div className={cn("prose transition-opacity", stale && "opacity-70")} dangerouslySetInnerHTML={{ __html: rendered.html }} />
      ) : rendered ? (
        <p className="text-stone-500">Nothing to preview yet.</p>
      ) : null}
    </section>
  );
}
