"use client";

import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { OwnPost } from "@/server/posts/service";
import { useTRPC } from "@/trpc/react";
import { FormattedDate } from "./formatted-date";
import { IN_FLIGHT_REFETCH_MS, postListInput } from "./post-queries";
import { PostStatusBadge, PostVisibilityBadge, isInFlight } from "./post-status-badge";
import { RetryButton } from "./retry-button";
import { errorMessage } from "./trpc-errors";
import { buttonClasses, Button } from "./ui/button";
import { usePostStatusUpdates } from "./use-post-status-updates";

/** The writer's posts, newest edit first, with live status and "Load more". */
export function PostList({ username }: { username: string }) {
  const trpc = useTRPC();
  usePostStatusUpdates();
  const query = useSuspenseInfiniteQuery(
    trpc.posts.list.infiniteQueryOptions(postListInput, {
      getNextPageParam: (page) => page.nextCursor,
      // The fallback for live updates: poll while the worker has something of ours in hand.
      refetchInterval: (q) => (q.state.data?.pages.some((page) => page.items.some(isInFlight)) ? IN_FLIGHT_REFETCH_MS : false),
    }),
  );
  const posts = query.data.pages.flatMap((page) => page.items);

  if (posts.length === 0) return <EmptyState />;

  return (
    <div>
      <ul className="divide-y divide-stone-200 overflow-hidden rounded-xl border border-stone-200 bg-white shadow-xs" aria-label="Your posts">
        {posts.map((post) => (
          <PostItem key={post.id} post={post} username={username} />
        ))}
      </ul>
      <div className="mt-6 flex flex-col items-center gap-2">
        {query.hasNextPage ? (
          <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading more posts…" : "Load more"}
          </Button>
        ) : posts.length > postListInput.limit ? (
          <p className="text-sm text-stone-500">That’s all your posts.</p>
        ) : null}
        {query.isFetchNextPageError ? (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(query.error, "Could not load more posts.")}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function PostItem({ post, username }: { post: OwnPost; username: string }) {
  const title = post.title || "Untitled";
  const isPublic = post.visibility === "published" && post.publishedVersion !== null;
  return (
    <li>
      <article className="flex flex-col gap-3 p-5 sm:flex-row sm:items-start sm:justify-between sm:gap-6">
        <div className="min-w-0 flex-1">
          <h2 className="text-lg leading-snug font-semibold text-stone-900">
            <Link href={`/editor/${post.id}`} className="rounded-sm hover:text-accent-800 hover:underline hover:underline-offset-4">
              {title}
            </Link>
          </h2>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-500">
            <span>
              Updated <FormattedDate date={post.updatedAt} />
            </span>
            {post.visibility === "scheduled" && post.scheduledAt ? (
              <>
                <span aria-hidden="true">·</span>
                <span>
                  Publishes <FormattedDate date={post.scheduledAt} />
                </span>
              </>
            ) : null}
            {post.processedVersion !== null ? (
              <>
                <span aria-hidden="true">·</span>
                <span>{post.readingTimeMinutes} min read</span>
              </>
            ) : null}
            {isPublic ? (
              <>
                <span aria-hidden="true">·</span>
                <Link href={`/@${username}/${post.slug}`} className="font-medium text-accent-700 hover:underline">
                  View public page<span className="sr-only">: {title}</span>
                </Link>
              </>
            ) : null}
          </p>
          {post.status === "failed" ? (
            <div className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              <p>
                <span className="font-semibold">Processing failed:</span> {post.error ?? "Unknown error."}
              </p>
              <RetryButton postId={post.id} />
            </div>
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <PostVisibilityBadge visibility={post.visibility} />
          <PostStatusBadge status={post.status} />
        </div>
      </article>
    </li>
  );
}

function EmptyState() {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-stone-300 bg-white/60 px-6 py-16 text-center">
      <h2 className="font-serif text-2xl font-semibold text-stone-900">No posts yet</h2>
      <p className="mt-2 max-w-sm text-stone-600">Your drafts and published posts will appear here. Start with a title and a few lines.</p>
      <Link href="/editor/new" className={buttonClasses({ className: "mt-6" })}>
        Write your first post
      </Link>
    </div>
  );
}
