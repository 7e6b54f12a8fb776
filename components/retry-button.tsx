"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "./trpc-errors";
import { Button } from "./ui/button";

/** Re-runs processing of a failed post. */
export function RetryButton({ postId, label = "Retry" }: { postId: string; label?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.posts.retry.mutationOptions({
      onSuccess: (post) => {
        queryClient.setQueryData(trpc.posts.byId.queryKey({ id: post.id }), post);
        void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
      },
    }),
  );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button variant="secondary" size="sm" pending={retry.isPending} onClick={() => retry.mutate({ id: postId })}>
        {label}
      </Button>
      {retry.isError ? (
        <span role="alert" className="text-sm text-red-700">
          {errorMessage(retry.error, "Retry failed. Please try again.")}
        </span>
      ) : null}
    </span>
  );
}
