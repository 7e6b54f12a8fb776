"use client";

import type { OwnPost } from "@/trpc/types";
import { canGoLive } from "../post-state";
import { Button } from "../ui/button";
import type { ReviewAction } from "./review-sheet";

/**
 * Publish (a draft) or Update (a live post's private edits), in the editor's sticky bar so it stays in
 * reach in a long post. Either opens the review sheet, which the side panel shows; the explanation under
 * Publishing there (`publish-reason` / `update-reason`) describes the button. A published post with
 * nothing new to put live shows no button (Unpublish and the public link are in the side panel).
 */
export function PublishControl({ post, dirty, onReview }: { post: OwnPost | null; dirty: boolean; onReview(action: ReviewAction): void }) {
  if (!post) {
    return (
      <Button disabled aria-describedby="publish-reason">
        Publish…
      </Button>
    );
  }
  if (post.visibility === "published") {
    if (!canGoLive(post)) return null;
    const isLive = post.publishedVersion !== null;
    return (
      <Button disabled={dirty} aria-describedby="update-reason" onClick={() => onReview(isLive ? "update" : "publish")}>
        {isLive ? "Update post…" : "Publish…"}
      </Button>
    );
  }
  return (
    <Button disabled={dirty} aria-describedby="publish-reason" onClick={() => onReview("publish")}>
      Publish…
    </Button>
  );
}
