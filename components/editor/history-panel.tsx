"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { OwnPost, SavedPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { errorCode, errorMessage } from "../trpc-errors";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Spinner } from "../ui/spinner";
import { LocalDateTime } from "./local-date-time";
import { Modal } from "./modal";
import type { PostFields } from "./post-fields";
import { TextDiff } from "./text-diff";
import "./preview.css";

// The post's history: every published version, newest first. One can be read, compared with the text in
// the editor, and restored, which saves it as a new version (so a restore can be undone the same way).

const SHOWN = 8;

export interface HistoryPanelProps {
  post: OwnPost;
  /** What the editor holds now. */
  current: PostFields;
  /** Saves what is unsaved; false if that was not possible (offline, a conflict). */
  flush(): Promise<boolean>;
  /** The version the editor's text is based on, after `flush`. */
  baseVersion(): number;
  onRestored(post: SavedPost, revision: number): void;
}

export function HistoryPanel({ post, current, flush, baseVersion, onRestored }: HistoryPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revisions = useQuery(trpc.posts.revisions.queryOptions({ id: post.id }));
  const [viewing, setViewing] = useState<number | null>(null);
  const [showAll, setShowAll] = useState(false);

  // A newly published version becomes a revision once processed.
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.posts.revisions.queryKey({ id: post.id }) });
  }, [queryClient, trpc, post.id, post.publishedVersion]);

  if (revisions.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-stone-500">
        <Spinner /> Loading the history…
      </p>
    );
  }
  if (revisions.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {errorMessage(revisions.error, "The history could not be loaded.")}
      </p>
    );
  }
  const items = revisions.data;
  if (items.length === 0) {
    return <p className="text-sm text-stone-600">Each version you publish is kept here, to compare with and to bring back.</p>;
  }
  const shown = showAll ? items : items.slice(0, SHOWN);

  return (
    <>
      <ol aria-label="Published versions" className="-mx-2 space-y-0.5">
        {shown.map((revision, index) => (
          <li key={revision.version} className="flex items-center justify-between gap-2 rounded-md px-2 py-1.5 hover:bg-stone-50">
            <div className="min-w-0 text-sm">
              <p className="flex items-center gap-2 font-medium text-stone-900">
                Version {revision.version}
                {/* Every version that goes live is kept, so the newest is what readers see (after Discard too). */}
                {index === 0 && post.visibility === "published" && post.publishedVersion !== null ? <Badge tone="accent">live</Badge> : null}
              </p>
              <p className="truncate text-xs text-stone-500">
                <LocalDateTime date={revision.publishedAt} />
                <span aria-hidden="true"> · </span>
                <span title={revision.title}>{revision.title}</span>
              </p>
            </div>
            <Button size="sm" variant="ghost" onClick={() => setViewing(revision.version)}>
              View<span className="sr-only"> version {revision.version}</span>
            </Button>
          </li>
        ))}
      </ol>
      {items.length > SHOWN ? (
        <Button variant="link" className="mt-2" onClick={() => setShowAll((all) => !all)}>
          {showAll ? "Show fewer" : `Show all ${items.length} versions`}
        </Button>
      ) : null}
      {viewing !== null ? (
        <RevisionDialog
          postId={post.id}
          version={viewing}
          current={current}
          flush={flush}
          baseVersion={baseVersion}
          onClose={() => setViewing(null)}
          onRestored={(restored) => {
            setViewing(null);
            onRestored(restored, viewing);
          }}
        />
      ) : null}
    </>
  );
}

interface RevisionDialogProps {
  postId: string;
  version: number;
  current: PostFields;
  flush(): Promise<boolean>;
  baseVersion(): number;
  onClose(): void;
  onRestored(post: SavedPost): void;
}

function RevisionDialog({ postId, version, current, flush, baseVersion, onClose, onRestored }: RevisionDialogProps) {
  const trpc = useTRPC();
  const revision = useQuery(trpc.posts.revision.queryOptions({ id: postId, version }, { staleTime: Infinity }));
  const restore = useMutation(trpc.posts.restoreRevision.mutationOptions());
  const [view, setView] = useState<"compare" | "read">("compare");
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);

  async function onRestore() {
    setError(null);
    setRestoring(true);
    try {
      if (!(await flush())) {
        setError("Your latest changes could not be saved yet, so nothing was restored. Try again once they are saved.");
        return;
      }
      const post = await restore.mutateAsync({ id: postId, revision: version, version: baseVersion() });
      onRestored(post);
    } catch (failure) {
      setError(
        errorCode(failure) === "CONFLICT"
          ? "This post changed elsewhere meanwhile. Close this, load the newer version, and try again."
          : errorMessage(failure, "Restoring failed. Please try again."),
      );
    } finally {
      setRestoring(false);
    }
  }

  const tab = (id: "compare" | "read", label: string) => (
    <button
      type="button"
      aria-pressed={view === id}
      onClick={() => setView(id)}
      className={cn(
        "rounded-md px-3 py-1.5 text-sm font-medium",
        view === id ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-200" : "text-stone-600 hover:text-stone-900",
      )}
    >
      {label}
    </button>
  );

  return (
    <Modal
      open
      onClose={onClose}
      busy={restoring}
      title={`Version ${version}`}
      description={
        revision.data ? (
          <>
            “{revision.data.title}”, published <LocalDateTime date={revision.data.publishedAt} />.
          </>
        ) : undefined
      }
      footer={
        <>
          {error ? (
            <p role="alert" className="mr-auto max-w-md text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button variant="secondary" onClick={onClose} disabled={restoring}>
            Close
          </Button>
          <Button data-autofocus pending={restoring} disabled={!revision.data} onClick={() => void onRestore()}>
            Restore this version
          </Button>
        </>
      }
    >
      {revision.isPending ? (
        <p className="flex items-center gap-2 text-sm text-stone-500">
          <Spinner /> Loading version {version}…
        </p>
      ) : revision.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(revision.error, "This version could not be loaded.")}
        </p>
      ) : (
        <div className="space-y-4">
          <div role="group" aria-label="Show" className="inline-flex gap-1 rounded-lg bg-stone-100 p-1">
            {tab("compare", "Compare with current")}
            {tab("read", "Read")}
          </div>
          {view === "compare" ? (
            <>
              {revision.data.title.trim() !== current.title.trim() ? (
                <div>
                  <h3 className="mb-1.5 text-sm font-semibold text-stone-800">Title</h3>
                  <TextDiff before={revision.data.title} after={current.title} beforeLabel={`version ${version}`} afterLabel="the current text" />
                </div>
              ) : null}
              <div>
                <h3 className="mb-1.5 text-sm font-semibold text-stone-800">Text</h3>
                <TextDiff before={revision.data.markdown} after={current.markdown} beforeLabel={`version ${version}`} afterLabel="the current text" />
              </div>
              <p className="text-sm text-stone-600">Restoring saves version {version}’s title and text as a new version of the post; a published post shows it to readers once it is processed.</p>
            </>
          ) : (
            <article className="inkwell-preview rounded-md border border-stone-200 px-5 py-5">
              <p className="mb-5 font-serif text-2xl leading-tight font-semibold text-stone-900">{revision.data.title}</p>
              {/* Rendered and sanitized by the worker when the version was processed. */}
              <div className="prose" dangerouslySetInnerHTML={{ __html: revision.data.html }} />
            </article>
          )}
        </div>
      )}
    </Modal>
  );
}
