"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { Modal } from "./editor/modal";
import { ReviewSheet, type ReviewAction } from "./editor/review-sheet";
import { ScheduleForm } from "./editor/schedule-form";
import { canGoLive, postState, unpublishedChanges } from "./post-state";
import { PostStateBadge } from "./post-status-badge";
import { RetryButton } from "./retry-button";
import { PostNewsletterPanel } from "./newsletter/post-newsletter-panel";
import { SharePanel } from "./share-panel";
import { errorMessage } from "./trpc-errors";
import { Button } from "./ui/button";
import { useNow } from "./use-now";

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

export interface EditorSidebarProps {
  post: OwnPost | null;
  username: string;
  dirty: boolean;
  /** The post's settings form (slug, excerpt, tags, images, canonical URL). */
  settings: ReactNode;
  /** The published versions, once the post exists. */
  history: ReactNode;
  /** Discard changes replaced the working copy with the live version (the editor loads it). */
  onDiscarded?(post: OwnPost): void;
  /** The review sheet open now (Publish, Update or Unpublish), opened here or from the sticky bar. */
  review: ReviewAction | null;
  onReview(action: ReviewAction | null): void;
}

/** The editor's side panel: live status, publishing and scheduling, settings, processed numbers, history. */
export function EditorSidebar({ post, username, dirty, settings, history, onDiscarded, review, onReview }: EditorSidebarProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [discarding, setDiscarding] = useState(false);
  // After Publish or Update, keyboard focus goes to "View public page" once the post is live.
  const [focusPublicLink, setFocusPublicLink] = useState(false);
  const publicLinkRef = useRef<HTMLAnchorElement>(null);
  const onSuccess = (next: OwnPost) => {
    queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), next);
    void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
  };
  const discard = useMutation(
    trpc.posts.discardChanges.mutationOptions({
      onSuccess: (next) => {
        onSuccess(next);
        setDiscarding(false);
        onDiscarded?.(next);
      },
    }),
  );
  const inFlight = post !== null && post.goingLiveVersion !== null;
  const now = useNow(inFlight);
  const isLive = post !== null && post.visibility === "published" && post.publishedVersion !== null;

  useEffect(() => {
    if (!focusPublicLink || !isLive) return;
    // After the dialog's own focus return (its close event comes first).
    const timer = setTimeout(() => {
      publicLinkRef.current?.focus();
      setFocusPublicLink(false);
    }, 0);
    return () => clearTimeout(timer);
  }, [focusPublicLink, isLive]);

  if (!post) {
    return (
      <aside aria-label="Post details" className="space-y-4">
        <Section id="status-heading" title="Status">
          <p className="text-sm text-stone-600">Saved as you write, once it has a title. Only you will see it until you publish.</p>
        </Section>
        <Section id="publishing-heading" title="Publishing">
          {/* Publish itself is in the editor's sticky bar (PublishControl), described by this line. */}
          <p id="publish-reason" className="text-sm text-stone-500">
            The post can be published once it is saved.
          </p>
        </Section>
        <Section id="settings-heading" title="Settings">
          {settings}
        </Section>
      </aside>
    );
  }

  const state = postState(post, now);
  const changes = unpublishedChanges(post);
  const isPublished = post.visibility === "published";
  const saveFirst = dirty ? "Your latest edits are still being saved; they are included once saved." : null;

  return (
    <aside aria-label="Post details" className="space-y-4">
      <Section id="status-heading" title="Status">
        <div role="status" aria-label="Post status" className="space-y-2">
          <PostStateBadge state={state} />
          <p className="text-sm text-stone-600">{state.detail}</p>
        </div>
        {post.status === "failed" ? (
          <div className="mt-3">
            <RetryButton postId={post.id} label="Retry" />
          </div>
        ) : null}
      </Section>

      <Section id="publishing-heading" title="Publishing">
        {isPublished ? (
          <div className="space-y-3">
            {isLive ? (
              <Link
                ref={publicLinkRef}
                href={`/@${username}/${post.publishedSlug ?? post.slug}`}
                className="flex items-center justify-between rounded-md bg-accent-50 px-3 py-2 text-sm font-medium text-accent-800 ring-1 ring-accent-200 ring-inset hover:bg-accent-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600"
              >
                View public page <span aria-hidden="true">→</span>
              </Link>
            ) : null}
            {isLive ? (
              <SharePanel
                path={`/@${username}/${post.publishedSlug ?? post.slug}`}
                title={post.title}
                excerpt={post.excerpt}
                coverImageUrl={post.coverImageUrl}
              />
            ) : null}
            {canGoLive(post) ? (
              <div className="space-y-2">
                {/* Update itself is in the editor's sticky bar (PublishControl), described by this line. */}
                <p id="update-reason" className="text-sm text-stone-500">
                  {saveFirst ?? (isLive ? "Your edits to a live post stay private until you update it." : "Edited since you pressed Publish.")}
                </p>
                {isLive ? (
                  <Button variant="secondary" className="w-full" onClick={() => setDiscarding(true)}>
                    Discard changes
                  </Button>
                ) : null}
              </div>
            ) : null}
            <Button variant="secondary" className="w-full" onClick={() => onReview("unpublish")}>
              Unpublish…
            </Button>
          </div>
        ) : (
          <div className="space-y-2">
            {/* Publish itself is in the editor's sticky bar (PublishControl), described by this line. */}
            <p id="publish-reason" className="text-sm text-stone-500">
              {saveFirst ?? (post.visibility === "scheduled" ? "Publishing now replaces the schedule." : "You see how it will look before it goes out.")}
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
      </Section>

      <Section id="email-heading" title="Email">
        <PostNewsletterPanel post={post} />
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

      <ReviewSheet
        action={review}
        post={post}
        username={username}
        onClose={() => onReview(null)}
        onDone={(next, when) => {
          const action = review;
          onSuccess(next);
          onReview(null);
          if (when === "now" && action !== "unpublish") setFocusPublicLink(true);
        }}
      />
      <Modal
        open={discarding}
        onClose={() => setDiscarding(false)}
        busy={discard.isPending}
        size="sm"
        title="Discard unpublished changes?"
        description={`Your ${changes === 1 ? "unpublished change" : `${changes} unpublished changes`} to this post will be dropped, and the editor shows the live version again. Readers notice nothing.`}
        footer={
          <>
            <Button variant="ghost" onClick={() => setDiscarding(false)} disabled={discard.isPending} data-autofocus>
              Keep editing
            </Button>
            <Button variant="danger" pending={discard.isPending} onClick={() => discard.mutate({ id: post.id, version: post.version })}>
              Discard changes
            </Button>
          </>
        }
      >
        {discard.isError ? (
          <p role="alert" className="text-sm font-medium text-red-700">
            {errorMessage(discard.error, "Discarding failed. Please try again.")}
          </p>
        ) : (
          <p className="text-sm text-stone-600">This cannot be undone; the live version stays in the history.</p>
        )}
      </Modal>
    </aside>
  );
}
