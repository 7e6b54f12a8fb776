"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { DeletePostDialog } from "./dashboard/delete-post-dialog";
import { filterOptions, PostFilters } from "./dashboard/post-filters";
import { LocalDateTime } from "./editor/local-date-time";
import { removeLocalDrafts } from "./editor/local-drafts";
import { PostListSkeleton } from "./post-list-skeleton";
import { IN_FLIGHT_REFETCH_MS, POST_LIST_LIMIT, postListInput, type PostListFilter } from "./post-queries";
import { ReviewSheet } from "./editor/review-sheet";
import { postState } from "./post-state";
import { PostStateBadge, isInFlight } from "./post-status-badge";
import { useNow } from "./use-now";
import { RetryButton } from "./retry-button";
import { errorMessage } from "./trpc-errors";
import { buttonClasses, Button } from "./ui/button";
import { cn } from "./ui/cn";
import { usePostStatusUpdates } from "./use-post-status-updates";

type ListPage = { items: OwnPost[]; nextCursor: string | null };

const SEARCH_DELAY_MS = 300;

export interface PostListProps {
  username: string;
  /** From the address (?filter=…&q=…), so a reload or a shared link shows the same list. */
  initialFilter?: PostListFilter | null;
  initialQuery?: string;
}

/** The writer's posts, newest edit first: filters, title search, live status, "Load more", unpublish and delete. */
export function PostList({ username, initialFilter = null, initialQuery = "" }: PostListProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  usePostStatusUpdates();
  const [filter, setFilter] = useState<PostListFilter | null>(initialFilter);
  const [search, setSearch] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery);
  const [deleting, setDeleting] = useState<OwnPost | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const deletedRef = useRef<HTMLParagraphElement>(null);

  // Search a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  // The address follows the list, without a server round trip.
  useEffect(() => {
    const params = new URLSearchParams();
    if (filter) params.set("filter", filter);
    if (query.trim()) params.set("q", query.trim());
    const next = `${window.location.pathname}${params.size > 0 ? `?${params}` : ""}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
  }, [filter, query]);

  const input = postListInput({ filter, query });
  const list = useInfiniteQuery(
    trpc.posts.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
      placeholderData: keepPreviousData,
      // The fallback for live updates: poll while the worker has something of ours in hand.
      refetchInterval: (q) => (q.state.data?.pages.some((page) => page.items.some(isInFlight)) ? IN_FLIGHT_REFETCH_MS : false),
    }),
  );

  const remove = useMutation(trpc.posts.delete.mutationOptions());

  function confirmDelete(post: OwnPost) {
    remove.mutate(
      { id: post.id },
      {
        onSuccess: ({ id }) => {
          // Gone from every cached list at once, then refetched for the pages' boundaries.
          queryClient.setQueriesData<InfiniteData<ListPage>>(trpc.posts.list.pathFilter(), (data) =>
            data && "pages" in data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((p) => p.id !== id) })) } : data,
          );
          queryClient.removeQueries({ queryKey: trpc.posts.byId.queryKey({ id }) });
          void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
          removeLocalDrafts(id);
          setDeleted(`Deleted “${post.title || "Untitled"}”.`);
          setDeleting(null);
          requestAnimationFrame(() => deletedRef.current?.focus());
        },
      },
    );
  }

  const posts = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filter !== null || query.trim() !== "";
  const searching = list.isPlaceholderData || (search !== query && search.trim() !== query.trim());

  return (
    <div className="space-y-5">
      <PostFilters
        filter={filter}
        onFilterChange={(next) => {
          setFilter(next);
          setDeleted(null);
        }}
        search={search}
        onSearchChange={setSearch}
      />

      {deleted ? (
        <p ref={deletedRef} tabIndex={-1} role="status" className="rounded-md border border-stone-200 bg-white px-4 py-2 text-sm text-stone-700">
          {deleted}
        </p>
      ) : null}

      <p role="status" className="sr-only">
        {list.isPending || searching ? "" : posts.length === 0 ? (filtered ? "No posts match." : "") : list.hasNextPage ? `${posts.length} posts shown, more to load.` : `${posts.length} ${posts.length === 1 ? "post" : "posts"}.`}
      </p>

      {list.isPending ? (
        <PostListSkeleton />
      ) : list.isError && posts.length === 0 ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {errorMessage(list.error, "Your posts could not be loaded. Please reload the page.")}
        </p>
      ) : posts.length === 0 ? (
        filtered ? (
          <NoMatches
            filter={filter}
            query={query.trim()}
            onClear={() => {
              setFilter(null);
              setSearch("");
              setQuery("");
            }}
          />
        ) : (
          <EmptyState />
        )
      ) : (
        <div>
          <ul
            aria-label="Your posts"
            aria-busy={searching}
            className={cn(
              "divide-y divide-stone-200 overflow-hidden rounded-xl border border-stone-200 bg-white shadow-xs transition-opacity",
              searching && "opacity-60",
            )}
          >
            {posts.map((post) => (
              <PostItem key={post.id} post={post} username={username} onDelete={() => setDeleting(post)} />
            ))}
          </ul>
          <div className="mt-6 flex flex-col items-center gap-2">
            {list.hasNextPage ? (
              <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? "Loading more posts…" : "Load more"}
              </Button>
            ) : posts.length > POST_LIST_LIMIT ? (
              <p className="text-sm text-stone-500">That’s all {filtered ? "of them" : "your posts"}.</p>
            ) : null}
            {list.isFetchNextPageError ? (
              <p role="alert" className="text-sm text-red-700">
                {errorMessage(list.error, "Could not load more posts.")}
              </p>
            ) : null}
          </div>
        </div>
      )}

      <DeletePostDialog
        post={deleting}
        pending={remove.isPending}
        error={remove.isError ? errorMessage(remove.error, "Deleting failed. Please try again.") : null}
        onConfirm={() => deleting && confirmDelete(deleting)}
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </div>
  );
}

export function PostItem({ post, username, onDelete }: { post: OwnPost; username: string; onDelete?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reviewing, setReviewing] = useState(false);
  const now = useNow(post.goingLiveVersion !== null);
  const state = postState(post, now);
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
              Updated <LocalDateTime date={post.updatedAt} />
            </span>
            {post.visibility === "scheduled" && post.scheduledAt ? (
              <>
                <span aria-hidden="true">·</span>
                <span className="text-sky-800">
                  Publishes <LocalDateTime date={post.scheduledAt} />
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
                <Link href={`/@${username}/${post.publishedSlug ?? post.slug}`} className="font-medium text-accent-700 hover:underline">
                  View public page<span className="sr-only">: {title}</span>
                </Link>
              </>
            ) : null}
          </p>
          {post.tags.length > 0 ? (
            <p className="mt-2 flex flex-wrap gap-1.5 text-xs text-stone-500">
              <span className="sr-only">Tags: </span>
              {post.tags.map((tag) => (
                <span key={tag} className="rounded-full bg-stone-100 px-2 py-0.5 text-stone-700">
                  #{tag}
                </span>
              ))}
            </p>
          ) : null}
          {post.status === "failed" ? (
            <div className="mt-3 flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              <p>{state.detail}</p>
              <RetryButton postId={post.id} />
            </div>
          ) : state.kind === "slow" ? (
            <p className="mt-2 text-sm text-amber-800">{state.detail}</p>
          ) : null}
        </div>
        <div className="flex shrink-0 flex-col items-start gap-3 sm:items-end">
          <div className="flex items-center gap-2">
            <span className="sr-only">Status: </span>
            <PostStateBadge state={state} />
          </div>
          {onDelete ? (
            <div className="-ml-3 flex items-center gap-1 sm:ml-0 sm:-mr-3">
              {post.visibility === "published" ? (
                <Button size="sm" variant="ghost" aria-label={`Unpublish “${title}”`} onClick={() => setReviewing(true)}>
                  Unpublish
                </Button>
              ) : null}
              <button
                type="button"
                aria-label={`Delete “${title}”`}
                onClick={onDelete}
                className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 hover:text-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600"
              >
                Delete
              </button>
            </div>
          ) : null}
        </div>
      </article>
      <ReviewSheet
        action={reviewing ? "unpublish" : null}
        post={post}
        username={username}
        onClose={() => setReviewing(false)}
        onDone={(next) => {
          queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), next);
          void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
          setReviewing(false);
        }}
      />
    </li>
  );
}

function NoMatches({ filter, query, onClear }: { filter: PostListFilter | null; query: string; onClear(): void }) {
  const label = filterOptions.find((option) => option.value === filter)?.label.toLowerCase();
  const what = filter === null ? "posts" : filter === "failed" ? "failed posts" : filter === "scheduled" ? "scheduled posts" : filter === "published" ? "published posts" : label;
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-stone-300 bg-white/60 px-6 py-12 text-center">
      <h2 className="text-lg font-semibold text-stone-900">{query ? `No ${what} match “${query}”` : `No ${what}`}</h2>
      <p className="mt-1 text-sm text-stone-600">{query ? "Try another word from the title." : "Posts appear here as soon as one fits."}</p>
      <Button variant="secondary" size="sm" className="mt-5" onClick={onClear}>
        Show all posts
      </Button>
    </div>
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
