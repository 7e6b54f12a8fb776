import type { OwnPost, SavedPost } from "@/trpc/types";
import type { PostUpdateInput } from "@/lib/validations/post";
import type { FieldErrors } from "../trpc-errors";
import type { LocalDraft } from "./local-drafts";
import { changedFields, emptyFields, sameFields, type PostFields } from "./post-fields";

// What the draft store (draft-store.ts) tells the editor: its snapshot, read with useSyncExternalStore.

export type SaveState =
  /** Nothing to save: the server has it all (or a new post is still empty). */
  | { kind: "idle" }
  /** Changes wait for the pause in typing. */
  | { kind: "pending" }
  | { kind: "saving" }
  /** The server could not be reached; the next attempt is at `retryAt`. */
  | { kind: "offline"; retryAt: number }
  /** The server refused or failed; retried at `retryAt` when that may help. `signedOut`: the session ended. */
  | { kind: "failed"; message: string; retryAt: number | null; signedOut?: boolean }
  /** Nothing that can be sent: a new post without a title, or only fields with errors. */
  | { kind: "blocked" }
  /** Refused because the post changed elsewhere: the writer chooses (see `conflict`). */
  | { kind: "conflict" };

export interface Conflict {
  /** The post as the server has it now. */
  server: OwnPost;
  /** The version the refused edit was based on. */
  baseVersion: number;
}

export interface DraftSnapshot {
  postId: string | null;
  /** What the server has, and its version; null for a post never saved. */
  base: { fields: PostFields; version: number } | null;
  draft: PostFields;
  /** Bumped whenever the body is replaced from outside the editor (restore, take theirs). */
  docRevision: number;
  dirty: boolean;
  save: SaveState;
  /** When the server last confirmed a save in this session (ms since the epoch). */
  savedAt: number | null;
  fieldErrors: FieldErrors;
  conflict: Conflict | null;
  conflictDialogOpen: boolean;
  /** A copy kept in this browser that differs from the server's text, offered back. */
  localOffer: LocalDraft | null;
}

export interface DraftStoreOptions {
  initialPost: OwnPost | null;
  api: {
    create(input: { title: string; markdown: string }): Promise<OwnPost>;
    update(input: PostUpdateInput): Promise<SavedPost>;
    byId(id: string): Promise<OwnPost>;
  };
  /** Every post the server answers with (to update cached queries); a save's answer has no html. */
  onServerPost(post: OwnPost | SavedPost): void;
  /** The first save of a new post created it. */
  onCreated(post: OwnPost): void;
}

/** Whether the draft holds anything the server does not have. */
export function isDirty(postId: string | null, draft: PostFields, base: DraftSnapshot["base"]): boolean {
  if (!postId || !base) return !sameFields(draft, emptyFields);
  return changedFields(draft, base.fields).length > 0;
}
