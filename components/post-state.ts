import type { OwnPost } from "@/trpc/types";
import type { BadgeTone } from "./ui/badge";

// Where a post stands, in the writer's words. The queue's words (queued, ready) belong to the operator's
// tools (/api/admin/queues); a writer reads "Processing…", "Live", "Failed — Retry", and is told plainly
// when a post they published is not yet readable.

/** After this long, a publish or update still waiting for the worker says so instead of "Processing…". */
export const SLOW_PROCESSING_MS = 30_000;

export type PostStateKind = "draft" | "scheduled" | "processing" | "slow" | "superseded" | "failed" | "live" | "changed" | "updating";

export interface PostState {
  kind: PostStateKind;
  /** A few words: "Live — 3 unpublished changes", "Not live yet — still processing". */
  label: string;
  /** A sentence saying what readers see now. */
  detail: string;
  tone: BadgeTone;
}

export type PostStateFields = Pick<
  OwnPost,
  "visibility" | "status" | "version" | "publishedVersion" | "goingLiveVersion" | "goingLiveAt" | "scheduledAt" | "error"
>;

/**
 * Whether the writer can send the working copy live now: a live post with unpublished changes (Update),
 * or a published post never live whose Publish was superseded by a later save (Publish again).
 */
export function canGoLive(post: PostStateFields): boolean {
  if (post.visibility !== "published") return false;
  return post.publishedVersion !== null ? unpublishedChanges(post) > 0 : post.goingLiveVersion !== post.version;
}

/** Saved edits of a live post since the version readers see (each autosave of the working copy is one). */
export function unpublishedChanges(post: PostStateFields): number {
  return post.visibility === "published" && post.publishedVersion !== null ? Math.max(0, post.version - post.publishedVersion) : 0;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The post's state at `now` (the page re-renders while a publish is in flight, so "slow" appears on time). */
export function postState(post: PostStateFields, now: number): PostState {
  const isLive = post.visibility === "published" && post.publishedVersion !== null;
  // The worker makes exactly the asked-for version live; a save after the request supersedes it.
  const waiting = post.goingLiveVersion !== null && post.goingLiveVersion === post.version;
  const superseded = post.goingLiveVersion !== null && post.goingLiveVersion !== post.version;
  const slow = waiting && post.goingLiveAt !== null && now - new Date(post.goingLiveAt).getTime() >= SLOW_PROCESSING_MS;
  const failed = post.status === "failed";
  const reason = post.error ? ` Reason: ${post.error}` : "";

  if (post.visibility === "draft") {
    return failed
      ? { kind: "failed", label: "Failed — Retry", detail: `The preview of this draft could not be made.${reason}`, tone: "danger" }
      : { kind: "draft", label: "Draft", detail: "Only you can see drafts.", tone: "neutral" };
  }
  if (post.visibility === "scheduled") {
    return { kind: "scheduled", label: "Scheduled", detail: "Readers can read it once its time comes.", tone: "info" };
  }
  if (!isLive) {
    if (superseded) {
      return { kind: "superseded", label: "Not live yet — edited since Publish", detail: "Publish again to make the latest version live.", tone: "warning" };
    }
    if (failed) return { kind: "failed", label: "Failed — Retry", detail: `Not live: it could not be processed.${reason}`, tone: "danger" };
    return slow
      ? { kind: "slow", label: "Not live yet — still processing", detail: "Readers get “Page not found” until processing finishes.", tone: "warning" }
      : { kind: "processing", label: "Processing…", detail: "It goes live as soon as it is processed.", tone: "progress" };
  }
  if (waiting && failed) {
    return { kind: "failed", label: "Failed — Retry", detail: `The update could not be processed; readers still see the previous version.${reason}`, tone: "danger" };
  }
  if (waiting) {
    return slow
      ? { kind: "slow", label: "Live — update still processing", detail: "Readers still see the previous version until processing finishes.", tone: "warning" }
      : { kind: "updating", label: "Live — updating…", detail: "Readers see the new version as soon as it is processed.", tone: "progress" };
  }
  const changes = unpublishedChanges(post);
  if (changes > 0) {
    const scheduled =
      post.scheduledAt !== null
        ? " They go live at the scheduled time."
        : superseded
          ? " You edited after pressing Update: update again to make the latest version public."
          : " Update the post to make them public.";
    return {
      kind: "changed",
      label: `Live — ${plural(changes, "unpublished change")}`,
      detail: `Readers see the live version; your edits are private.${scheduled}`,
      tone: "accent",
    };
  }
  return { kind: "live", label: "Live", detail: "Readers see this version.", tone: "success" };
}
