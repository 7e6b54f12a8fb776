import { errorCode, errorField, errorMessage, serverFieldErrors, type FieldErrors } from "../trpc-errors";
import { fieldKeys, type FieldKey } from "./post-fields";

// What a failed save means for the draft store, decided from the tRPC error alone (no store state), so
// each case can be tested by itself.

export type SaveFailure =
  /** The server refused these fields' values (a taken slug, a value past a limit): mark them, save the rest. */
  | { kind: "refused-fields"; fieldErrors: FieldErrors; messages: Partial<Record<FieldKey, string>> }
  /** The post changed elsewhere: the writer chooses between the versions. */
  | { kind: "conflict" }
  /** The server could not be reached: try again later. */
  | { kind: "offline" }
  /** Shown to the writer; `retry` when trying again later may help, `signedOut` when the session ended. */
  | { kind: "failed"; message: string; retry: boolean; signedOut?: boolean };

/** Errors worth retrying by themselves: the server being briefly unwell, or busy. */
const RETRYABLE_CODES = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TOO_MANY_REQUESTS", "TIMEOUT"]);

export function classifySaveError(error: unknown): SaveFailure {
  const code = errorCode(error);
  const message = errorMessage(error, "Saving failed.");
  if (code === "CONFLICT" && errorField(error) === "slug") {
    return { kind: "refused-fields", fieldErrors: { slug: [message] }, messages: { slug: message } };
  }
  if (code === "CONFLICT") return { kind: "conflict" };
  const fields = serverFieldErrors(error);
  const keys = Object.keys(fields).filter((key): key is FieldKey => (fieldKeys as readonly string[]).includes(key));
  if (keys.length > 0) {
    return { kind: "refused-fields", fieldErrors: fields, messages: Object.fromEntries(keys.map((key) => [key, fields[key]?.[0] ?? message])) };
  }
  if (code === null) return { kind: "offline" };
  if (code === "NOT_FOUND") {
    return { kind: "failed", message: "This post no longer exists. Your text is kept on this device: copy it somewhere safe.", retry: false };
  }
  if (code === "UNAUTHORIZED") {
    return { kind: "failed", message: "You are signed out. Sign in again in another tab; saving resumes then.", retry: true, signedOut: true };
  }
  if (RETRYABLE_CODES.has(code)) return { kind: "failed", message: "The server could not save just now.", retry: true };
  return { kind: "failed", message, retry: false };
}
