import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { postLookupSlugSchema, postLookupUsernameSchema } from "@/lib/validations/post";
import { readAuthorPage, readPostPage } from "@/server/cache/public-reads";
import { getViewer } from "@/server/cache/viewer";

/** `%40alice`, `@alice` or `@Alice` → `alice`; null for anything that is not an author address. */
export function parseHandle(handle: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(handle);
  } catch {
    return null;
  }
  if (!decoded.startsWith("@")) return null;
  // Only what a username can be reaches the database (not NUL, "%", or 10,000 characters).
  const username = postLookupUsernameSchema.safeParse(decoded.slice(1));
  return username.success ? username.data : null;
}

/** Like parseHandle, for pages: anything else is the 404 page. */
export function usernameFromHandle(handle: string): string {
  return parseHandle(handle) ?? notFound();
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    notFound();
  }
}

function notFoundOnMissing(error: unknown): never {
  // NOT_FOUND: unknown writer or post, or a draft. BAD_REQUEST: a name, slug or cursor no page could have.
  if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
  throw error;
}

/** Writers looking at their own pages read around the cache, so their edits show at once. */
async function isOwnPage(username: string): Promise<boolean> {
  return (await getViewer())?.user.username === username;
}

/** A writer's profile and one page of their published posts; cached per request (metadata and page share it). */
export const loadAuthor = cache(async (handle: string, cursor: string | null) => {
  const username = usernameFromHandle(handle);
  return readAuthorPage(username, cursor, await isOwnPage(username)).catch(notFoundOnMissing);
});

/** A published post; drafts and unknown posts are the 404 page. */
export const loadPublicPost = cache(async (handle: string, slug: string) => {
  const username = usernameFromHandle(handle);
  // Slugs are lower-case; one cache entry per post, whatever the case of the address.
  const lookup = postLookupSlugSchema.safeParse(decodeSegment(slug));
  if (!lookup.success) notFound();
  return readPostPage(username, lookup.data, await isOwnPage(username)).catch(notFoundOnMissing);
});
