import "server-only";
import { notFound, permanentRedirect } from "next/navigation";
import { cache } from "react";
import { postLookupSlugSchema, postLookupUsernameSchema } from "@/lib/validations/post";
import { readAuthorPage, readPostPage } from "@/server/cache/public-reads";
import { isAppError } from "@/server/errors";
import { isUsernameHeld } from "@/server/users/username-holds";

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

/** The 404 page, or for a writer who deleted their account (username held), the 410 Gone answer. */
const notFoundOnMissing = (username: string) => async (error: unknown): Promise<never> => {
  // NOT_FOUND: unknown writer or post, or a draft. INVALID: a name, slug or cursor no page could have.
  if (isAppError(error, "NOT_FOUND") && (await isUsernameHeld(username))) permanentRedirect(`/api/gone/${username}`);
  if (isAppError(error, "NOT_FOUND", "INVALID")) notFound();
  throw error;
};

/** A writer's profile and one page of their published posts; cached per request (metadata and page share it). */
export const loadAuthor = cache(async (handle: string, cursor: string | null) => {
  const username = usernameFromHandle(handle);
  return readAuthorPage(username, cursor).catch(notFoundOnMissing(username));
});

/** A published post; drafts and unknown posts are the 404 page. */
export const loadPublicPost = cache(async (handle: string, slug: string) => {
  const username = usernameFromHandle(handle);
  // Slugs are lower-case; one cache entry per post, whatever the case of the address.
  const lookup = postLookupSlugSchema.safeParse(decodeSegment(slug));
  if (!lookup.success) notFound();
  return readPostPage(username, lookup.data).catch(notFoundOnMissing(username));
});
