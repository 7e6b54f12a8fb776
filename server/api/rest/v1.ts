import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { postLookupSlugSchema, postLookupUsernameSchema, postTagSchema } from "@/lib/validations/post";
import { storableText } from "@/lib/validations/text";
import { absoluteUrl, postPath } from "../../feeds";
import { logger } from "../../logger";
import { INTERNAL_ERROR_MESSAGE } from "../trpc";
import { getPublishedPost, pagePublishedPosts, searchPublishedPosts, type PublicPost } from "../../posts/service";
import { getPublicProfileByUsername } from "../../users/service";

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
    author: { username: post.author.username, displayName: post.author.displayName, url: absoluteUrl(`/@${post.author.username}`) },
  };
}

const notFound = (message: string) => new TRPCError({ code: "NOT_FOUND", message });

export async function listPosts(query: z.infer<typeof listQuerySchema>): Promise<z.infer<typeof postPageSchema>> {
  let authorId: string | undefined;
  if (query.author) {
    const author = await getPublicProfileByUsername(query.author);
    if (!author) throw notFound("No writer by that name.");
    authorId = author.id;
  }
  const page = await pagePublishedPosts({ authorId, tag: query.tag, limit: query.limit, cursor: query.cursor });
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
  return { username: author.username, displayName: author.displayName, bio: author.bio, url: absoluteUrl(`/@${author.username}`), joinedAt: author.createdAt.toISOString() };
}

export async function search(query: z.infer<typeof searchQuerySchema>): Promise<z.infer<typeof searchPageSchema>> {
  const page = await searchPublishedPosts(query.q, query);
  return { items: page.items.map((hit) => ({ ...summary(hit), snippet: hit.snippet })), nextOffset: page.nextOffset };
}

/**
 * Runs a REST handler: query validation errors answer 400, NOT_FOUND 404, both as JSON; anything else
 * is logged and answers 500 with a generic message (an error's own text may quote SQL and its parameters).
 */
export async function respond<T>(run: () => Promise<T>): Promise<Response> {
  const headers = { "cache-control": "public, max-age=60", "access-control-allow-origin": "*" };
  try {
    return Response.json(await run(), { headers });
  } catch (err) {
    if (err instanceof z.ZodError) {
      const message = err.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ");
      return Response.json({ error: { code: "BAD_REQUEST", message } }, { status: 400, headers });
    }
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) {
      return Response.json({ error: { code: err.code, message: err.message } }, { status: err.code === "NOT_FOUND" ? 404 : 400, headers });
    }
    logger.error({ err }, "REST request failed");
    return Response.json(
      { error: { code: "INTERNAL_SERVER_ERROR", message: INTERNAL_ERROR_MESSAGE } },
      { status: 500, headers: { "cache-control": "no-store", "access-control-allow-origin": "*" } },
    );
  }
}

export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
