"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import type { OwnPost } from "@/server/posts/service";
import { useTRPC } from "@/trpc/react";
import { publishBlockedReason } from "./editor/publish-control";
import { ScheduleForm } from "./editor/schedule-form";
import { PostStatusBadge, PostVisibilityBadge } from "./post-status-badge";
import { RetryButton } from "./retry-button";
import { SharePanel } from "./share-panel";
import { errorMessage } from "./trpc-errors";
import { Button } from "./ui/button";

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-stone-200 bg-white p-5 shadow-xs">
      <h2 id={id} className="text-xs font-semibold tracking-widest text-stone-500 uppercase">
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

function statusExplanation(post: OwnPost): string {
  const readersBehind = post.visibility === "published" && post.publishedVersion !== null && post.publishedVersion < post.version;
  switch (post.status) {
    case "queued":
      return readersBehind
        ? "Waiting to be processed. Readers still see the previous version until then."
        : "Waiting to be processed.";
    case "processing":
      return readersBehind ? "Processing. Readers still see the previous version until it is done." : "Processing this version…";
    case "ready":
      return post.visibility === "published" ? "Processed. Readers see this version." : "Processed. Only you can see drafts.";
    case "failed":
      return "Processing failed.";
  }
}

export interface EditorSidebarProps {
  post: OwnPost | null;
  username: string;
  dirty: boolean;
  /** The post's settings form (slug, excerpt, tags, images, canonical URL). */
  settings: ReactNode;
  /** The published versions, once the post exists. */
  history: ReactNode;
}

/** The editor's side panel: live status, publishing and scheduling, settings, processed numbers, history. */
export function EditorSidebar({ post, username, dirty, settings, history }: EditorSidebarProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = (next: OwnPost) => {
    queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), next);
    void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
  };
  const unpublish = useMutation(trpc.posts.unpublish.mutationOptions({ onSuccess }));

  if (!post) {
    return (
      <aside aria-label="Post details" className="space-y-4">
        <Section id="status-heading" title="Status">
          <p className="text-sm text-stone-600">Saved as you write, once it has a title. Only you will see it until you publish.</p>
        </Section>
        <Section id="publishing-heading" title="Publishing">
          {/* The Publish button itself is in the editor's sticky bar (PublishControl). */}
          <p id="publish-reason" className="text-sm text-stone-500">
            {publishBlockedReason(null, false)}
          </p>
        </Section>
        <Section id="settings-heading" title="Settings">
          {settings}
        </Section>
      </aside>
    );
  }

  const isPublished = post.visibility === "published";
  const isLive = isPublished && post.publishedVersion !== null;
  const publishReason = publishBlockedReason(post, dirty);

  return (
    <aside aria-label="Post details" className="space-y-4">
      <Section id="status-heading" title="Status">
        <div role="status" aria-label="Processing status" className="flex flex-wrap gap-2">
          <PostVisibilityBadge visibility={post.visibility} />
          <PostStatusBadge status={post.status} />
        </div>
        <p className="mt-3 text-sm text-stone-600">{statusExplanation(post)}</p>
        {post.status === "failed" ? (
          <div className="mt-3 space-y-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            <p>
              <span className="font-semibold">Reason:</span> {post.error ?? "Unknown error."}
            </p>
            <RetryButton postId={post.id} label="Retry processing" />
          </div>
        ) : null}
      </Section>

      <Section id="publishing-heading" title="Publishing">
        {isPublished ? (
          <div className="space-y-3">
            {isLive ? (
              <Link
                href={`/@${username}/${post.slug}`}
                className="flex items-center justify-between rounded-md bg-accent-50 px-3 py-2 text-sm font-medium text-accent-800 ring-1 ring-accent-200 ring-inset hover:bg-accent-100"
              >
                View public page <span aria-hidden="true">→</span>
              </Link>
            ) : null}
            {isLive ? (
              <SharePanel path={`/@${username}/${post.slug}`} title={post.title} excerpt={post.excerpt} coverImageUrl={post.coverImageUrl} />
            ) : (
              <p className="text-sm text-stone-600">Goes live as soon as it is processed.</p>
            )}
            <Button variant="secondary" className="w-full" pending={unpublish.isPending} onClick={() => unpublish.mutate({ id: post.id })}>
              Unpublish
            </Button>
            <p className="text-sm text-stone-500">Unpublishing takes the post off your public page at once.</p>
          </div>
        ) : (
          <div className="space-y-2">
            {/* The Publish button itself is in the editor's sticky bar (PublishControl). */}
            <p id="publish-reason" className="text-sm text-stone-500">
              {publishReason ??
                (post.visibility === "scheduled" ? "Publishing now replaces the schedule." : "Anyone can read it once it is processed.")}
            </p>
            <dl className="text-sm">
              <dt className="text-stone-500">Public address, once published</dt>
              <dd className="mt-1">
                <code className="rounded bg-stone-100 px-1 py-0.5 font-mono text-xs break-all text-stone-700">
                  /@{username}/{post.slug}
                </code>
              </dd>
            </dl>
          </div>
        )}
        <div className="mt-4 empty:hidden">
          <ScheduleForm post={post} />
        </div>
        {unpublish.error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {errorMessage(unpublish.error)}
          </p>
        ) : null}
      </Section>

      <Section id="settings-heading" title="Settings">
        {settings}
      </Section>

      <Section id="stats-heading" title="Stats">
        {post.processedVersion !== null && post.processedVersion !== post.version ? (
          <p className="mb-3 text-xs text-stone-500">From the last processed version (v{post.processedVersion}).</p>
        ) : null}
        {post.processedVersion !== null ? (
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <div>
              <dt className="text-stone-500">Words</dt>
              <dd className="text-lg font-semibold text-stone-900 tabular-nums">{post.wordCount.toLocaleString("en")}</dd>
            </div>
            <div>
              <dt className="text-stone-500">Reading time</dt>
              <dd className="text-lg font-semibold text-stone-900 tabular-nums">{post.readingTimeMinutes} min</dd>
            </div>
          </dl>
        ) : (
          <p className="text-sm text-stone-600">Word count and reading time appear once the post is processed.</p>
        )}
      </Section>

      <Section id="history-heading" title="History">
        {history}
      </Section>
    </aside>
  );
}
