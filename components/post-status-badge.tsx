import type { OwnPost } from "@/trpc/types";
import type { PostState } from "./post-state";
import { Badge } from "./ui/badge";
import { Spinner } from "./ui/spinner";

/** The post's state in the writer's words (see post-state.ts), with its tone as a mark beside it. */
export function PostStateBadge({ state }: { state: PostState }) {
  const icon = state.tone === "progress" ? <Spinner className="size-3" /> : state.tone === "danger" ? "!" : state.tone === "success" || state.tone === "accent" ? "●" : "◌";
  return (
    <Badge tone={state.tone} icon={icon}>
      {state.label}
    </Badge>
  );
}

/** Whether the worker still has work to do for this post (the page polls while it does). */
export function isInFlight(post: Pick<OwnPost, "status">): boolean {
  return post.status === "queued" || post.status === "processing";
}
