"use client";

import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useEffect, useEffectEvent, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { POST_MARKDOWN_MAX } from "@/lib/validations/post";
import type { OwnPost } from "@/trpc/types";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { ConflictDialog } from "./editor/conflict-dialog";
import type { DraftSnapshot } from "./editor/draft-snapshot";
import { DraftStore } from "./editor/draft-store";
import { FormattingToolbar } from "./editor/formatting-toolbar";
import { ImageUploadPanel, useImageUploads } from "./editor/image-upload-panel";
import { HistoryPanel } from "./editor/history-panel";
import { formatLocalDateTime } from "./editor/local-date-time";
import { MarkdownEditor, type MarkdownEditorHandle } from "./editor/markdown-editor";
import { PostSettings } from "./editor/post-settings";
import { PreviewPane } from "./editor/preview-pane";
import { PublishControl } from "./editor/publish-control";
import type { ReviewAction } from "./editor/review-sheet";
import { textStats } from "./editor/text-stats";
import { EditorSidebar } from "./editor-sidebar";
import { IN_FLIGHT_REFETCH_MS } from "./post-queries";
import { isInFlight } from "./post-status-badge";
import { Alert } from "./ui/alert";
import { Button } from "./ui/button";
import { cn } from "./ui/cn";
import { FormField } from "./ui/form-field";
import { useHydrated } from "./use-hydrated";
import { usePostStatusUpdates } from "./use-post-status-updates";

const TITLE_ID = "post-title";
const BODY_ID = "post-body";

export interface EditorProps {
  /** The post as the server has it, or null for a new post. */
  initialPost: OwnPost | null;
  /** The writer's username, for links to the public page. */
  username: string;
}

const timeFormat = () => new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** The save state in a few words, and how loud to say it. */
function describeSave(snap: DraftSnapshot): { text: string; detail?: string; tone: "quiet" | "pending" | "problem" } {
  const { save, postId, dirty } = snap;
  switch (save.kind) {
    case "saving":
      return { text: "Saving…", tone: "quiet" };
    case "conflict":
      return { text: "Not saved: changed elsewhere", tone: "problem" };
    case "offline":
      return { text: "Offline – will retry", tone: "problem" };
    case "failed":
      return { text: save.retryAt ? "Not saved – will retry" : "Not saved", tone: "problem" };
  }
  if (!postId) {
    if (!dirty) return { text: "New post", tone: "quiet" };
    return { text: "Not saved yet", detail: save.kind === "blocked" ? "add a title to save" : undefined, tone: "pending" };
  }
  if (dirty) return { text: "Unsaved changes", detail: save.kind === "blocked" ? "fix the marked fields" : undefined, tone: "pending" };
  return { text: snap.savedAt ? `All changes saved at ${timeFormat().format(snap.savedAt)}` : "All changes saved", tone: "quiet" };
}

export function Editor({ initialPost, username }: EditorProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  usePostStatusUpdates();
  const hydrated = useHydrated();
  const titleRef = useRef<HTMLTextAreaElement>(null);
  const bodyRef = useRef<MarkdownEditorHandle>(null);
  const imageUploads = useImageUploads();
  const [showPreview, setShowPreview] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Publish, Update or Unpublish under review: opened from the sticky bar or the side panel.
  const [review, setReview] = useState<ReviewAction | null>(null);

  const [store] = useState(
    () =>
      new DraftStore({
        initialPost,
        api: {
          create: (input) => client.posts.create.mutate(input),
          update: (input) => client.posts.update.mutate(input),
          byId: (id) => client.posts.byId.query({ id }),
        },
        onServerPost: (next) => {
          queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), (old) => {
            if (old && old.version > next.version) return old;
            if ("html" in next) return next;
            // A save's answer has no html: keep the rendered one until the worker's is announced.
            return old && { ...old, ...next };
          });
          void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
        },
        // The post exists now: its address becomes /editor/<id> without reloading the editor (the
        // writer keeps typing; a reload opens the saved post).
        onCreated: (created) => window.history.replaceState(null, "", `/editor/${created.id}`),
      }),
  );
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  useEffect(() => store.start(), [store]);

  const { postId, draft, dirty, save, fieldErrors, conflict } = snap;
  const saving = save.kind === "saving";

  // The live post: status, processed stats and publishing state, kept current by the status hook.
  const { data: post = null } = useQuery(
    trpc.posts.byId.queryOptions(postId ? { id: postId } : skipToken, {
      refetchInterval: (query) => (query.state.data && isInFlight(query.state.data) ? IN_FLIGHT_REFETCH_MS : false),
    }),
  );
  const newerElsewhere = post !== null && snap.base !== null && post.version > snap.base.version && !saving && !conflict;

  const deferredMarkdown = useDeferredValue(draft.markdown);
  const stats = useMemo(() => textStats(deferredMarkdown), [deferredMarkdown]);

  function saveNow() {
    void store.saveNow().then(() => {
      if (store.getSnapshot().fieldErrors.title) titleRef.current?.focus();
    });
  }

  // Ctrl+S / Cmd+S saves from anywhere on the page (and never opens the browser's "Save page" dialog).
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      saveNow();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener, true);
    return () => window.removeEventListener("keydown", listener, true);
  }, []);

  // Leaving with unsaved changes (closing the tab, reloading, another address, a link) asks first.
  // The text is kept on this device either way.
  const unsaved = dirty || saving;
  useEffect(() => {
    if (!unsaved) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set to show the prompt
    };
    const onClickCapture = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement) || anchor.target === "_blank" || anchor.origin !== window.location.origin) return;
      if (anchor.pathname === window.location.pathname) return;
      if (!window.confirm("You have unsaved changes. Leave this page anyway? This browser keeps them and offers them back when you return.")) {
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
  }, [unsaved]);

  const status = describeSave(snap);
  const markdownErrors = fieldErrors.markdown;
  const bodyDescribedBy = [markdownErrors?.[0] ? `${BODY_ID}-error` : null, `${BODY_ID}-hint`].filter(Boolean).join(" ");
  const wasPublic = post !== null && (post.publishedAt !== null || post.visibility !== "draft");

  return (
    <div className={cn("mx-auto w-full px-4 pb-6 sm:px-6 sm:pb-8", showPreview ? "max-w-[96rem]" : "max-w-6xl")}>
      {/* The editor bar stays at the top of the window while the post scrolls (the site's header steps
          aside on editor pages, see globals.css), so the save status, Save and Publish are always in reach. */}
      <div
        data-editor-bar
        className="sticky top-0 z-30 -mx-4 flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-stone-200 bg-paper/95 px-4 py-2 backdrop-blur sm:-mx-6 sm:px-6 sm:py-3 supports-[backdrop-filter]:bg-paper/85"
      >
        <div className="flex min-w-0 items-baseline gap-3">
          <Link href="/dashboard" className="touch:py-3 shrink-0 text-sm font-medium text-stone-500 hover:text-stone-900">
            <span aria-hidden="true">← </span>Your posts
          </Link>
          <h1 className="truncate text-lg font-semibold tracking-tight text-stone-900 sm:text-xl">{postId ? "Edit post" : "New post"}</h1>
        </div>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-2 sm:gap-3">
          <p
            role="status"
            aria-label="Save status"
            className={cn(
              "flex min-w-0 items-center gap-1.5 text-sm max-sm:basis-full max-sm:justify-end",
              status.tone === "problem" ? "font-medium text-red-800" : status.tone === "pending" ? "font-medium text-amber-800" : "text-stone-500",
            )}
          >
            {status.tone !== "quiet" ? (
              <span aria-hidden="true" className={cn("inline-block size-2 rounded-full", status.tone === "problem" ? "bg-red-500" : "bg-amber-500")} />
            ) : null}
            <span>{status.text}</span>
            {status.detail ? <span className="font-normal text-stone-500">– {status.detail}</span> : null}
          </p>
          {conflict && !snap.conflictDialogOpen ? (
            <Button size="sm" variant="danger" onClick={() => store.openConflictDialog()}>
              Compare and choose
            </Button>
          ) : null}
          <Button variant="secondary" aria-pressed={showPreview} onClick={() => setShowPreview((on) => !on)} aria-controls={showPreview ? "post-preview" : undefined} disabled={!hydrated}>
            Preview
          </Button>
          <Button
            variant="secondary"
            pending={saving}
            disabled={!hydrated || (postId !== null && !dirty && !saving)}
            aria-describedby="save-shortcut"
            onClick={saveNow}
          >
            Save
          </Button>
          <span id="save-shortcut" className="sr-only">
            Changes save by themselves a moment after you stop typing, and every few seconds while you type. Shortcut: Control or Command plus S.
          </span>
          <PublishControl post={post} dirty={dirty} onReview={setReview} />
        </div>
      </div>

      <div className="mt-4 space-y-3 empty:hidden">
        {snap.localOffer ? (
          <Alert tone="info" role="alert" title="Text recovered from this device">
            <p>
              On {formatLocalDateTime(new Date(snap.localOffer.savedAt))} this browser kept text for this post that never reached the server
              {snap.localOffer.fields.title.trim() ? <> (“{snap.localOffer.fields.title.trim()}”)</> : null}.
            </p>
            <div className="mt-3 flex flex-wrap gap-2">
              <Button size="sm" onClick={() => store.restoreLocal()}>
                Restore my text
              </Button>
              <Button size="sm" variant="secondary" onClick={() => store.discardLocal()}>
                Discard it
              </Button>
            </div>
          </Alert>
        ) : null}
        {conflict && !snap.conflictDialogOpen ? (
          <Alert tone="error" title="Not saved: this post changed elsewhere">
            <p>Your text is still here and kept on this device. Compare the two versions and choose which to keep.</p>
          </Alert>
        ) : newerElsewhere ? (
          <Alert tone="warning" role="status">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p>
                A newer version (version {post.version}) was saved elsewhere.{" "}
                {dirty ? "Saving here will ask before replacing it." : "Load it to continue from there."}
              </p>
              {!dirty ? (
                <Button size="sm" variant="secondary" onClick={() => void store.reloadFromServer()}>
                  Load the newer version
                </Button>
              ) : null}
            </div>
          </Alert>
        ) : null}
        {save.kind === "failed" ? (
          <Alert tone="error" title="Not saved">
            {save.message} Your text is kept on this device{save.retryAt ? "; saving is retried" : ""}.
            {save.signedOut ? (
              <>
                {" "}
                {/* A new tab: this one keeps the editor and its unsaved text. */}
                <a href="/sign-in" target="_blank" rel="noopener" className="font-semibold underline underline-offset-4">
                  Sign in<span className="sr-only"> (opens in a new tab)</span>
                </a>
              </>
            ) : null}
          </Alert>
        ) : null}
        {notice ? (
          <Alert tone="success">
            <div className="flex items-center justify-between gap-3">
              <p>{notice}</p>
              <Button size="sm" variant="ghost" onClick={() => setNotice(null)}>
                Dismiss
              </Button>
            </div>
          </Alert>
        ) : null}
      </div>

      <div className={cn("mt-6 grid gap-8", "lg:grid-cols-[minmax(0,1fr)_20rem]")}>
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
                value={draft.title}
                onChange={(event) => store.edit({ title: event.target.value.replace(/[\r\n]+/g, " ") })}
                // A new post starts in its title.
                autoFocus={postId === null && initialPost === null}
                onKeyDown={(event) => {
                  // Enter and Tab move on to the body (Enter instead of a line break; Tab past the
                  // formatting toolbar, which Shift+Tab from the body reaches).
                  const toBody = (event.key === "Enter" && !event.nativeEvent.isComposing) || (event.key === "Tab" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey);
                  if (toBody) {
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

          <div className="space-y-1.5">
            <div className={cn("flex items-baseline justify-between gap-4", showPreview && "max-xl:hidden")}>
              {/* Names the editor (aria-labelledby); a click on it puts the caret there. */}
              <span id={`${BODY_ID}-label`} className="block text-sm font-medium text-stone-800" onClick={() => bodyRef.current?.focus()}>
                Body (Markdown)
              </span>
              <span className={cn("text-xs tabular-nums", draft.markdown.length > POST_MARKDOWN_MAX ? "font-medium text-red-700" : "text-stone-500")}>
                {draft.markdown.length.toLocaleString("en")}
                {draft.markdown.length > POST_MARKDOWN_MAX * 0.9 ? ` / ${POST_MARKDOWN_MAX.toLocaleString("en")}` : ""} characters
              </span>
            </div>
            <p id={`${BODY_ID}-hint`} className={cn("text-sm text-stone-500", showPreview && "max-xl:hidden")}>
              <code className="text-stone-600">## Heading</code>, <code className="text-stone-600">**bold**</code>, <code className="text-stone-600">- list</code>,{" "}
              <code className="text-stone-600">[link](https://…)</code>. Pasted formatted text becomes Markdown. Raw HTML is removed. Tab moves on to the next field.
            </p>
            <div className={cn("grid gap-6 pt-1", showPreview && "xl:grid-cols-2")}>
              <div className={cn("min-w-0 space-y-1.5", showPreview && "max-xl:hidden")}>
                <div
                  className={cn(
                    "overflow-hidden rounded-md border bg-white shadow-xs",
                    markdownErrors?.[0] ? "border-red-500" : "border-stone-300",
                  )}
                >
                  <FormattingToolbar
                    controls={BODY_ID}
                    disabled={!hydrated}
                    onFormat={(command) => bodyRef.current?.format(command)}
                    onInsertImage={(url, alt) => bodyRef.current?.insertImage(url, alt)}
                    onUploadImages={imageUploads.start}
                  />
                  <ImageUploadPanel uploads={imageUploads} onInsert={(address, alt) => bodyRef.current?.insertImage(address, alt)} />
                  <MarkdownEditor
                    ref={bodyRef}
                    id={BODY_ID}
                    labelledBy={`${BODY_ID}-label`}
                    describedBy={bodyDescribedBy}
                    invalid={Boolean(markdownErrors?.[0])}
                    placeholder="Start writing…"
                    value={draft.markdown}
                    revision={snap.docRevision}
                    onChange={(markdown) => store.edit({ markdown })}
                    onImageFiles={imageUploads.start}
                  />
                  <div className="flex flex-wrap items-center justify-between gap-2 border-t border-stone-100 bg-stone-50 px-4 py-1.5 text-xs text-stone-500">
                    <p aria-label="Length estimate" className="tabular-nums">
                      {stats.words.toLocaleString("en")} {stats.words === 1 ? "word" : "words"}
                      <span aria-hidden="true"> · </span>
                      {stats.minutes} min read
                    </p>
                    <p className="hidden sm:block">
                      <kbd className="font-sans">Ctrl/⌘ B</kbd> bold · <kbd className="font-sans">I</kbd> italic · <kbd className="font-sans">K</kbd> link ·{" "}
                      <kbd className="font-sans">S</kbd> save
                    </p>
                  </div>
                </div>
                {markdownErrors?.[0] ? (
                  <p id={`${BODY_ID}-error`} className="flex items-start gap-1.5 text-sm font-medium text-red-700">
                    <span aria-hidden="true">⚠</span>
                    {markdownErrors[0]}
                  </p>
                ) : null}
              </div>
              {showPreview ? <PreviewPane id="post-preview" title={draft.title} markdown={draft.markdown} /> : null}
            </div>
          </div>
        </div>

        <EditorSidebar
          post={post}
          username={username}
          dirty={dirty}
          review={review}
          onReview={setReview}
          onDiscarded={(live) => {
            store.replaceWith(live);
            setNotice("Unpublished changes discarded: the editor shows the live version.");
          }}
          settings={
            <PostSettings
              fields={draft}
              errors={fieldErrors}
              onChange={(patch) => store.edit(patch)}
              isNew={postId === null}
              username={username}
              wasPublic={wasPublic}
              disabled={!hydrated}
            />
          }
          history={
            post ? (
              <HistoryPanel
                post={post}
                current={draft}
                flush={() => store.flush()}
                baseVersion={() => store.getSnapshot().base?.version ?? post.version}
                onRestored={(restored, revision) => {
                  store.replaceWith(restored);
                  setNotice(`Version ${revision} restored: it is now version ${restored.version}.`);
                }}
              />
            ) : null
          }
        />
      </div>

      {conflict ? (
        <ConflictDialog
          open={snap.conflictDialogOpen}
          conflict={conflict}
          mine={draft}
          onKeepMine={() => store.keepMine()}
          onTakeTheirs={() => store.takeTheirs()}
          onClose={() => store.closeConflictDialog()}
        />
      ) : null}
    </div>
  );
}
