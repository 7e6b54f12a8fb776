import { z } from "zod";
import { postLookupSlugSchema, postLookupUsernameSchema, postTagSchema } from "@/lib/validations/post";
import { storableText } from "@/lib/validations/text";
import { AppError, type AppErrorCode } from "../../errors";
import { postKey, SURROGATE_KEY_HEADER } from "../../cache/public-routes";
import { logger } from "../../logger";
import type { PublicPost } from "../../posts/dto";
import { getPublishedPost, pagePublishedPostsByUsername } from "../../posts/published-reads";
import { searchPublishedPosts } from "../../posts/search";
import { getPublicProfileByUsername } from "../../users/service";
import { absoluteUrl, authorPath, postPath } from "../../urls";
import { INTERNAL_ERROR_MESSAGE } from "../trpc";

// The public, read-only REST API (/api/v1) for clients that do not speak tRPC. The same zod schemas
// shape the responses and generate the OpenAPI document, so the two cannot drift apart.

const authorRef = z.object({ username: z.string(), displayName: z.string(), url: z.url() });

export const postSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  slug: z.string(),
  url: z.url(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  coverImageUrl: z.url().nullable(),
  wordCount: z.number().int(),
  readingTimeMinutes: z.number().int(),
  publishedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  author: authorRef,
});

export const postSchema = postSummarySchema.extend({
  /** Rendered, sanitized HTML. */
  html: z.string(),
  canonicalUrl: z.url().nullable(),
});

export const postPageSchema = z.object({ items: z.array(postSummarySchema), nextCursor: z.string().nullable() });
export const searchPageSchema = z.object({
  items: z.array(postSummarySchema.extend({ snippet: z.string().describe("Matches wrapped in <mark>; all else HTML-escaped.") })),
  nextOffset: z.number().int().nullable(),
});
export const authorSchema = z.object({ username: z.string(), displayName: z.string(), bio: z.string(), url: z.url(), joinedAt: z.iso.datetime() });
export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const listQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  tag: postTagSchema.optional(),
  author: postLookupUsernameSchema.optional(),
});
export const searchQuerySchema = z.object({
  q: storableText("The search").trim().min(1, "Type something to search for.").max(200, "The search is too long."),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

function summary(post: PublicPost): z.infer<typeof postSummarySchema> {
  return {
    id: post.id,
    title: post.title,
    slug: post.slug,
    url: absoluteUrl(postPath(post)),
    excerpt: post.excerpt,
    tags: post.tags,
    coverImageUrl: post.coverImageUrl,
    wordCount: post.wordCount,
    readingTimeMinutes: post.readingTimeMinutes,
    publishedAt: post.publishedAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    author: { username: post.author.username, displayName: post.author.displayName, url: absoluteUrl(authorPath(post.author)) },
  };
}

const notFound = (message: string) => new AppError("NOT_FOUND", message);

export async function listPosts(query: z.infer<typeof listQuerySchema>): Promise<z.infer<typeof postPageSchema>> {
  const page = await pagePublishedPostsByUsername({ username: query.author, tag: query.tag, limit: query.limit, cursor: query.cursor });
  return { items: page.items.map(summary), nextCursor: page.nextCursor };
}

/**
 * A path segment as a name: percent-decoded once, a leading "@" allowed. A segment no URL of ours could
 * hold (malformed %-encoding, NUL, a name no writer or post can have) names nothing: NOT_FOUND.
 */
function segmentAs(schema: z.ZodType<string, string>, raw: string, message: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw notFound(message);
  }
  const parsed = schema.safeParse(decoded.replace(/^@/, ""));
  if (!parsed.success) throw notFound(message);
  return parsed.data;
}

/** `username` and `slug` are the raw path segments. */
export async function getPost(username: string, slug: string): Promise<z.infer<typeof postSchema>> {
  const post = await getPublishedPost(
    segmentAs(postLookupUsernameSchema, username, "No such post."),
    segmentAs(postLookupSlugSchema, slug, "No such post."),
  );
  return { ...summary(post), html: post.html, canonicalUrl: post.canonicalUrl };
}

/** `segment` is the raw path segment. */
export async function getAuthor(segment: string): Promise<z.infer<typeof authorSchema>> {
  const username = segmentAs(postLookupUsernameSchema, segment, "No writer by that name.");
  const author = await getPublicProfileByUsername(username);
  if (!author) throw notFound("No writer by that name.");
  return { username: author.username, displayName: author.displayName, bio: author.bio, url: absoluteUrl(authorPath(author)), joinedAt: author.createdAt.toISOString() };
}

export async function search(query: z.infer<typeof searchQuerySchema>): Promise<z.infer<typeof searchPageSchema>> {
  const page = await searchPublishedPosts(query.q, query);
  return { items: page.items.map((hit) => ({ ...summary(hit), snippet: hit.snippet })), nextOffset: page.nextOffset };
}

/** The HTTP answer to each domain refusal (server/errors.ts), with the code the JSON body names. */
const REST_ERRORS: Record<AppErrorCode, { status: number; code: string }> = {
  NOT_FOUND: { status: 404, code: "NOT_FOUND" },
  CONFLICT: { status: 409, code: "CONFLICT" },
  FORBIDDEN: { status: 403, code: "FORBIDDEN" },
  UNAUTHORIZED: { status: 401, code: "UNAUTHORIZED" },
  INVALID: { status: 400, code: "BAD_REQUEST" },
  RATE_LIMITED: { status: 429, code: "TOO_MANY_REQUESTS" },
};

/**
 * Runs a REST handler: query validation errors answer 400, domain refusals their status (NOT_FOUND 404,
 * a broken cursor 400 …), all as JSON; anything else is logged and answers 500 with a generic message
 * (an error's own text may quote SQL and its parameters).
 */
export async function respond<T>(
  run: () => Promise<T>,
  options: { surrogateKeys?: (value: T) => string[]; perRequest?: boolean } = {},
): Promise<Response> {
  // The caches' own policy replaces this Cache-Control (server/cache/public-routes.ts, origin-cache.ts);
  // search answers (perRequest) are never kept by a shared cache.
  const headers = { "cache-control": options.perRequest ? "private, no-store" : "public, max-age=60", "access-control-allow-origin": "*" };
  try {
    const value = await run();
    const keys = options.surrogateKeys?.(value) ?? [];
    return Response.json(value, { headers: keys.length > 0 ? { ...headers, [SURROGATE_KEY_HEADER]: keys.join(" ") } : headers });
  } catch (err) {
    if (err instanceof z.ZodError) {
      const message = err.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ");
      return Response.json({ error: { code: "BAD_REQUEST", message } }, { status: 400, headers });
    }
    if (err instanceof AppError) {
      const { status, code } = REST_ERRORS[err.code];
      return Response.json({ error: { code, message: err.message } }, { status, headers });
    }
    logger.error({ err }, "REST request failed");
    return Response.json(
      { error: { code: "INTERNAL_SERVER_ERROR", message: INTERNAL_ERROR_MESSAGE } },
      { status: 500, headers: { "cache-control": "no-store", "access-control-allow-origin": "*" } },
    );
  }
}

/** The REST post's surrogate key: its id, which its address (username/slug) does not show. */
export const postSurrogateKeys = (post: { id: string }): string[] => [postKey(post.id)];

export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
