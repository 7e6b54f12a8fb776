import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

// Reading tRPC errors in forms: field messages from the server's zod errors, and the error code.

export type FieldErrors = Partial<Record<string, string[]>>;

function asClientError(error: unknown): TRPCClientError<AppRouter> | null {
  return error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>) : null;
}

/** The server's per-field validation messages (`error.data.zodError.fieldErrors`), if any. */
export function serverFieldErrors(error: unknown): FieldErrors {
  return asClientError(error)?.data?.zodError?.fieldErrors ?? {};
}

/** The tRPC error code (`CONFLICT`, `NOT_FOUND`…), or null for other errors. */
export function errorCode(error: unknown): string | null {
  return asClientError(error)?.data?.code ?? null;
}

/** The input field a refusal is about (`slug`, `currentPassword`…), when the server named one. */
export function errorField(error: unknown): string | null {
  return asClientError(error)?.data?.field ?? null;
}

/** A sentence to show the writer: the server's message, or a plain one when the network failed. */
export function errorMessage(error: unknown, fallback = "Something went wrong. Please try again."): string {
  const clientError = asClientError(error);
  if (!clientError) return fallback;
  if (clientError.data?.code === "INTERNAL_SERVER_ERROR") return fallback;
  if (!clientError.data) return "We could not reach InkWell. Check your connection and try again.";
  return clientError.message || fallback;
}

/** Client-side checks with the shared zod schemas: the same messages as the server's. */
export function zodFieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "_form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
