import type { ReactNode } from "react";
import type { OwnPost } from "@/server/posts/service";
import { Badge, type BadgeTone } from "./ui/badge";
import { Spinner } from "./ui/spinner";

type Status = OwnPost["status"];
type Visibility = OwnPost["visibility"];

const statusTone: Record<Status, BadgeTone> = {
  queued: "neutral",
  processing: "progress",
  ready: "success",
  failed: "danger",
};

const statusIcon: Record<Status, ReactNode> = {
  queued: "○",
  processing: <Spinner className="size-3" />,
  ready: "✓",
  failed: "!",
};

/**
 * Where the worker is with the post's latest version, as words (not only colour). The visually hidden
 * prefix tells screen reader users what the word is about.
 */
export function PostStatusBadge({ status }: { status: Status }) {
  return (
    <Badge tone={statusTone[status]} icon={statusIcon[status]}>
      <span className="sr-only">Processing status: </span>
      {status}
    </Badge>
  );
}

const visibilityTone: Record<Visibility, BadgeTone> = {
  draft: "neutral",
  scheduled: "info",
  published: "accent",
};

/** Who can read the post: `draft` (only you), `scheduled`, `published` (everyone). */
export function PostVisibilityBadge({ visibility }: { visibility: Visibility }) {
  return (
    <Badge tone={visibilityTone[visibility]} icon={visibility === "published" ? "●" : "◌"}>
      <span className="sr-only">Visibility: </span>
      {visibility}
    </Badge>
  );
}

/** Whether the worker still has work to do for this post (the page polls while it does). */
export function isInFlight(post: Pick<OwnPost, "status">): boolean {
  return post.status === "queued" || post.status === "processing";
}
