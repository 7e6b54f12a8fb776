"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { OwnPost } from "@/server/posts/service";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "../trpc-errors";
import { Button } from "../ui/button";

/** Why Publish is not available yet, or null when it is. */
export function publishBlockedReason(post: OwnPost | null, dirty: boolean): string | null {
  if (!post) return "The post can be published once it is saved.";
  return dirty ? "Save your changes before publishing." : null;
}

/**
 * The Publish button, in the editor's sticky bar so it stays in reach in a long post. A published post
 * has nothing to publish (Unpublish and the public link are in the side panel's Publishing section).
 * Its description (`publish-reason`) is the side panel's explanation under Publishing.
 */
export function PublishControl({ post, dirty }: { post: OwnPost | null; dirty: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const publish = useMutation(
    trpc.posts.publish.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), next);
        void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
      },
    }),
  );
  if (post?.visibility === "published") return null;
  const blocked = publishBlockedReason(post, dirty);
  return (
    <>
      <Button pending={publish.isPending} disabled={blocked !== null} aria-describedby="publish-reason" onClick={() => post && publish.mutate({ id: post.id })}>
        Publish
      </Button>
      {publish.error ? (
        <p role="alert" className="basis-full text-sm text-red-700">
          {errorMessage(publish.error)}
        </p>
      ) : null}
    </>
  );
}
