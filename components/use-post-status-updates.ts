"use client";

import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback } from "react";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";

type ListPage = { items: OwnPost[]; nextCursor: string | null };

interface StatusEvent {
  postId: string;
  version: number;
  status: OwnPost["status"];
  visibility: OwnPost["visibility"];
  error: string | null;
}

/**
 * Refetches never cancel a fetch in flight: a burst of events must not cancel the writer's "Load more"
 * (an infinite query's next page). Should that fetch answer from just before the event, the polling
 * while anything is in flight (IN_FLIGHT_REFETCH_MS) catches up.
 */
const NO_CANCEL = { cancelRefetch: false } as const;

/** Applies an event to a cached post, unless the cache already holds a newer version. */
function patch(post: OwnPost, event: StatusEvent): OwnPost {
  if (post.id !== event.postId || event.version < post.version) return post;
  return { ...post, version: event.version, status: event.status, visibility: event.visibility, error: event.error };
}

/**
 * Keeps the signed-in writer's cached posts (`posts.list`, `posts.byId`) in step with the worker, live:
 * subscribes to `posts.onStatusChange` (server-sent events). Each event patches the cached status at once,
 * then the affected queries are refetched for what the event does not carry (html, counts, published
 * version). Every (re)connection refetches too, so events missed while disconnected are not lost.
 * Mount it once per page that shows posts.
 */
export function usePostStatusUpdates(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  const refetchAll = useCallback(() => {
    void queryClient.invalidateQueries(trpc.posts.list.pathFilter(), NO_CANCEL);
    void queryClient.invalidateQueries(trpc.posts.byId.pathFilter(), NO_CANCEL);
  }, [queryClient, trpc]);

  const onData = useCallback(
    ({ data: event }: { data: StatusEvent }) => {
      const byIdKey = trpc.posts.byId.queryKey({ id: event.postId });
      queryClient.setQueryData(byIdKey, (post) => (post ? patch(post, event) : post));
      // The list is cached both as plain and as infinite (paged) queries: patch whichever shape is there.
      queryClient.setQueriesData<ListPage | InfiniteData<ListPage>>(trpc.posts.list.pathFilter(), (data) => {
        if (!data) return data;
        if ("pages" in data) {
          return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map((p) => patch(p, event)) })) };
        }
        return { ...data, items: data.items.map((p) => patch(p, event)) };
      });
      void queryClient.invalidateQueries({ queryKey: byIdKey }, NO_CANCEL);
      void queryClient.invalidateQueries(trpc.posts.list.pathFilter(), NO_CANCEL);
    },
    [queryClient, trpc],
  );

  useSubscription(
    trpc.posts.onStatusChange.subscriptionOptions(undefined, {
      // Called on the first connection and on every reconnection.
      onStarted: refetchAll,
      onData,
    }),
  );
}
