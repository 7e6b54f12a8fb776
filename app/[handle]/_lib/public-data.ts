import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { api } from "@/trpc/server";

/** `%40alice` or `@alice` → `alice`; anything without the leading `@` is not an author address. */
export function usernameFromHandle(handle: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(handle);
  } catch {
    notFound();
  }
  if (!decoded.startsWith("@") || decoded.length < 2) notFound();
  return decoded.slice(1).toLowerCase();
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    notFound();
  }
}

function notFoundOnMissing(error: unknown): never {
  // NOT_FOUND: unknown writer or post, or a draft. BAD_REQUEST: a name or slug no post could have.
  if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
  throw error;
}

/** A writer's profile and published posts; cached per request (metadata and page share it). */
export const loadAuthor = cache(async (handle: string) => {
  const username = usernameFromHandle(handle);
  return (await api()).posts.byAuthor({ username, limit: 50 }).catch(notFoundOnMissing);
});

/** A published post; drafts and unknown posts are the 404 page. */
export const loadPublicPost = cache(async (handle: string, slug: string) => {
  const username = usernameFromHandle(handle);
  return (await api()).posts.bySlug({ username, slug: decodeSegment(slug) }).catch(notFoundOnMissing);
});
