"use client";

import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { postCreateSchema, POST_MARKDOWN_MAX } from "@/lib/validations/post";
import type { OwnPost } from "@/server/posts/service";
import { useTRPC } from "@/trpc/react";
import { EditorSidebar } from "./editor-sidebar";
import { IN_FLIGHT_REFETCH_MS } from "./post-queries";
import { isInFlight } from "./post-status-badge";
import { errorCode, errorMessage, serverFieldErrors, zodFieldErrors, type FieldErrors } from "./trpc-errors";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { cn } from "./ui/cn";
import { FormField } from "./ui/form-field";
import { Spinner } from "./ui/spinner";
import { Textarea } from "./ui/textarea";
import { useHydrated } from "./use-hydrated";
import { usePostStatusUpdates } from "./use-post-status-updates";

/** The text the server has, and the version it is; edits are saved against that version. */
interface Saved {
  title: string;
  markdown: string;
  version: number;
}

/**
 * What the writer had on screen when a new post's first save moved the page from /editor/new to
 * /editor/<id>: the new page picks it up, so nothing typed during the move is lost, and the caret stays.
 */
interface Handover {
  title: string;
  markdown: string;
  saved: Saved;
  focus: "title" | "markdown" | null;
  selection: [number, number] | null;
}
const handovers = new Map<string, Handover>();

const TITLE_ID = "post-title";
const BODY_ID = "post-body";

function initialState(post: OwnPost | null): { title: string; markdown: string; saved: Saved | null; handover: Handover | null } {
  if (!post) return { title: "", markdown: "", saved: null, handover: null };
  const handover = handovers.get(post.id) ?? null;
  if (handover && handover.saved.version >= post.version) {
    return { title: handover.title, markdown: handover.markdown, saved: handover.saved, handover };
  }
  return { title: post.title, markdown: post.markdown, saved: { title: post.title, markdown: post.markdown, version: post.version }, handover: null };
}

export interface EditorProps {
  /** The post as the server has it, or null for a new post. */
  initialPost: OwnPost | null;
  /** The writer's username, for links to the public page. */
  username: string;
}

export function Editor({ initialPost, username }: EditorProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  usePostStatusUpdates();
  const hydrated = useHydrated();

  const [initial] = useState(() => initialState(initialPost));
  const [postId, setPostId] = useState<string | null>(initialPost?.id ?? null);
  const [title, setTitle] = useState(initial.title);
  const [markdown, setMarkdown] = useState(initial.markdown);
  const [saved, setSaved] = useState<Saved | null>(initial.saved);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [mode, setMode] = useState<"write" | "preview">("write");
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const createdRef = useRef<string | null>(null);
  const titleRef = useRef<HTMLTextAreaElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  // The live post: status, processed stats and publishing state, kept current by the status hook.
  const { data: post = null } = useQuery(
    trpc.posts.byId.queryOptions(postId ? { id: postId } : skipToken, {
      refetchInterval: (query) => (query.state.data && isInFlight(query.state.data) ? IN_FLIGHT_REFETCH_MS : false),
    }),
  );

  const create = useMutation(trpc.posts.create.mutationOptions());
  const update = useMutation(trpc.posts.update.mutationOptions());
  const preview = useMutation(trpc.posts.preview.mutationOptions());

  const dirty = saved ? title !== saved.title || markdown !== saved.markdown : title !== "" || markdown !== "";
  const newerElsewhere = post !== null && saved !== null && post.version > saved.version;

  // Carry over a handover from /editor/new once (caret included), then forget it.
  useEffect(() => {
    const handover = initial.handover;
    if (!handover || !initialPost) return;
    handovers.delete(initialPost.id);
    const element = handover.focus === "title" ? titleRef.current : handover.focus === "markdown" ? bodyRef.current : null;
    if (element) {
      element.focus();
      if (handover.selection) element.setSelectionRange(...handover.selection);
    }
  }, [initial, initialPost]);

  // While the page moves from /editor/new to /editor/<id>, keep the handover current.
  useEffect(() => {
    const id = createdRef.current;
    if (!id || !saved) return;
    const active = document.activeElement;
    const focus = active === titleRef.current ? "title" : active === bodyRef.current ? "markdown" : null;
    const element = focus === "title" ? titleRef.current : focus === "markdown" ? bodyRef.current : null;
    handovers.set(id, {
      title,
      markdown,
      saved,
      focus,
      selection: element ? [element.selectionStart ?? 0, element.selectionEnd ?? 0] : null,
    });
  });

  function setPostData(next: OwnPost) {
    queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), (old) => (old && old.version > next.version ? old : next));
    void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
  }

  async function save(options: { overwrite?: boolean } = {}): Promise<void> {
    if (savingRef.current) return;
    setSaveError(null);
    const snapshot = { title, markdown };
    const checked = postCreateSchema.safeParse(snapshot);
    if (!checked.success) {
      const errors = zodFieldErrors(checked.error.issues);
      setFieldErrors(errors);
      (errors.title ? titleRef.current : bodyRef.current)?.focus();
      return;
    }
    setFieldErrors({});
    savingRef.current = true;
    setSaving(true);
    try {
      if (!postId || !saved) {
        const created = await create.mutateAsync(snapshot);
        createdRef.current = created.id;
        setPostData(created);
        setSaved({ ...snapshot, version: created.version });
        setPostId(created.id);
        setConflict(null);
        router.replace(`/editor/${created.id}`);
        return;
      }
      let version = saved.version;
      if (options.overwrite) {
        // The writer chose to replace the newer text with theirs: save against the latest version.
        const latest = await queryClient.fetchQuery({ ...trpc.posts.byId.queryOptions({ id: postId }), staleTime: 0 });
        version = latest.version;
      }
      const updated = await update.mutateAsync({ id: postId, version, ...snapshot });
      setPostData(updated);
      setSaved({ ...snapshot, version: updated.version });
      setConflict(null);
    } catch (error) {
      if (errorCode(error) === "CONFLICT") {
        setConflict(errorMessage(error));
      } else {
        const fields = serverFieldErrors(error);
        if (fields.title || fields.markdown) setFieldErrors(fields);
        else setSaveError(errorMessage(error, "Saving failed. Your text is still here; please try again."));
      }
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }

  // Ctrl+S / Cmd+S saves (and never opens the browser's "Save page" dialog here).
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (dirty || !postId) void save();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // Leaving with unsaved changes (closing the tab, reloading, typing another address) asks first.
  useEffect(() => {
    if (!dirty && !saving) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set to show the prompt
    };
    // Links inside the app navigate without unloading the page: ask before following them too.
    const onClickCapture = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement) || anchor.target === "_blank" || anchor.origin !== window.location.origin) return;
      if (anchor.pathname === window.location.pathname) return;
      if (!window.confirm("You have unsaved changes. Leave this page and lose them?")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClickCapture, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClickCapture, true);
    };
  }, [dirty, saving]);

  function togglePreview() {
    if (mode === "write") {
      setMode("preview");
      preview.mutate({ markdown });
    } else {
      setMode("write");
      requestAnimationFrame(() => bodyRef.current?.focus());
    }
  }

  const saveState = saving
    ? "Saving…"
    : !postId
      ? dirty
        ? "Not saved yet"
        : "New post"
      : dirty
        ? "Unsaved changes"
        : "All changes saved";
  const saveDisabledReason = !saving && postId && !dirty ? "Nothing new to save." : null;

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <div className="flex flex-col gap-4 border-b border-stone-200 pb-5 sm:flex-row sm:items-center sm:justify-between">
        <div className="min-w-0">
          <Link href="/dashboard" className="text-sm font-medium text-stone-500 hover:text-stone-900">
            <span aria-hidden="true">← </span>Your posts
          </Link>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight text-stone-900">{postId ? "Edit post" : "New post"}</h1>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <p aria-live="polite" className={cn("text-sm", dirty && !saving ? "font-medium text-amber-800" : "text-stone-500")}>
            {dirty && !saving ? (
              <span aria-hidden="true" className="mr-1.5 inline-block size-2 rounded-full bg-amber-500 align-middle" />
            ) : null}
            {saveState}
          </p>
          <Button variant="secondary" aria-pressed={mode === "preview"} onClick={togglePreview} aria-controls="editor-panel" disabled={!hydrated}>
            Preview
          </Button>
          <Button
            pending={saving}
            disabled={!hydrated || saveDisabledReason !== null}
            aria-describedby={saveDisabledReason ? "save-disabled-reason" : "save-shortcut"}
            onClick={() => void save()}
          >
            {saving ? "Saving…" : "Save"}
          </Button>
          <span id="save-shortcut" className="sr-only">
            Shortcut: Control or Command plus S.
          </span>
          {saveDisabledReason ? (
            <span id="save-disabled-reason" className="sr-only">
              {saveDisabledReason}
            </span>
          ) : null}
        </div>
      </div>

      <div className="mt-4 space-y-3 empty:hidden">
        {conflict ? (
          <Alert tone="error" title="Not saved: this post changed elsewhere">
            <p>{conflict}</p>
            <p className="mt-1">Your text is still here and has not been lost.</p>
            <div className="mt-3 flex flex-wrap gap-2">
              <Button size="sm" variant="danger" pending={saving} onClick={() => void save({ overwrite: true })}>
                Overwrite with my version
              </Button>
              {postId ? (
                <a
                  href={`/editor/${postId}`}
                  target="_blank"
                  rel="noopener"
                  className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-800 underline underline-offset-4 hover:bg-red-100"
                >
                  Open the newer version in a new tab
                </a>
              ) : null}
            </div>
          </Alert>
        ) : newerElsewhere ? (
          <Alert tone="warning" role="none">
            A newer version of this post was saved elsewhere. Saving here will ask before replacing it.
          </Alert>
        ) : null}
        {saveError ? (
          <Alert tone="error" title="Not saved">
            {saveError}
          </Alert>
        ) : null}
      </div>

      <div className="mt-6 grid gap-8 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div id="editor-panel" className="min-w-0 space-y-5">
          <FormField id={TITLE_ID} label="Title" errors={fieldErrors.title}>
            {(control) => (
              <textarea
                {...control}
                ref={titleRef}
                name="title"
                readOnly={!hydrated}
                rows={1}
                autoComplete="off"
                placeholder="A title for your post"
                value={title}
                onChange={(event) => {
                  // A title is one line: pasted line breaks become spaces.
                  setTitle(event.target.value.replace(/[\r\n]+/g, " "));
                  setFieldErrors((prev) => ({ ...prev, title: undefined }));
                }}
                onKeyDown={(event) => {
                  // Enter moves on to the body instead of adding a line break.
                  if (event.key === "Enter" && !event.nativeEvent.isComposing) {
                    event.preventDefault();
                    bodyRef.current?.focus();
                  }
                }}
                className={cn(
                  "field-sizing-content block w-full resize-none rounded-md border border-transparent bg-transparent px-0 py-1 font-serif text-3xl leading-tight font-semibold tracking-tight text-stone-900 placeholder:text-stone-300 sm:text-4xl",
                  "hover:border-stone-200 focus-visible:border-stone-300 focus-visible:bg-white focus-visible:px-3 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent-600/40",
                  "aria-invalid:border-red-500 aria-invalid:px-3",
                )}
              />
            )}
          </FormField>

          {mode === "write" ? (
            <FormField
              id={BODY_ID}
              label="Body (Markdown)"
              hint={
                <>
                  <code className="text-stone-600">## Heading</code>, <code className="text-stone-600">**bold**</code>,{" "}
                  <code className="text-stone-600">- list</code>, <code className="text-stone-600">[link](https://…)</code>. Raw HTML is
                  removed.
                </>
              }
              errors={fieldErrors.markdown}
              aside={
                <span className={cn("text-xs tabular-nums", markdown.length > POST_MARKDOWN_MAX ? "text-red-700" : "text-stone-400")}>
                  {markdown.length.toLocaleString("en")} characters
                </span>
              }
            >
              {(control) => (
                <Textarea
                  {...control}
                  ref={bodyRef}
                  name="markdown"
                  readOnly={!hydrated}
                  spellCheck
                  placeholder="Start writing…"
                  value={markdown}
                  onChange={(event) => {
                    setMarkdown(event.target.value);
                    setFieldErrors((prev) => ({ ...prev, markdown: undefined }));
                  }}
                  className="field-sizing-content min-h-[60vh] resize-y px-4 py-3 font-mono text-[0.95rem] leading-7 sm:text-[0.95rem]"
                />
              )}
            </FormField>
          ) : (
            <section aria-label="Preview" aria-busy={preview.isPending} className="min-h-[60vh] rounded-md border border-stone-200 bg-white px-5 py-6 sm:px-8">
              <p className="mb-4 text-xs font-semibold tracking-widest text-stone-400 uppercase" aria-hidden="true">
                Preview
              </p>
              {title.trim() ? (
                <p className="mb-6 font-serif text-3xl leading-tight font-semibold tracking-tight text-stone-900 sm:text-4xl">{title}</p>
              ) : null}
              {preview.isPending ? (
                <p className="flex items-center gap-2 text-stone-500">
                  <Spinner /> Rendering the preview…
                </p>
              ) : preview.isError ? (
                <Alert tone="error" title="The preview could not be rendered">
                  {errorMessage(preview.error)}
                </Alert>
              ) : preview.data?.html ? (
                // Sanitized by the server's render pipeline (the same one readers get).
                <div className="prose" dangerouslySetInnerHTML={{ __html: preview.data.html }} />
              ) : (
                <p className="text-stone-500">Nothing to preview yet.</p>
              )}
            </section>
          )}
        </div>

        <EditorSidebar post={post} username={username} dirty={dirty} />
      </div>
    </div>
  );
}
