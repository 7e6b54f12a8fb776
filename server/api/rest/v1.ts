import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { postTagSchema } from "@/lib/validations/post";
import { absoluteUrl, postPath } from "../../feeds";
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
  author: z.string().trim().toLowerCase().max(30).optional(),
});
export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(200),
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

export async function getPost(username: string, slug: string): Promise<z.infer<typeof postSchema>> {
  const post = await getPublishedPost(username.toLowerCase(), slug.toLowerCase());
  return { ...summary(post), html: post.html, canonicalUrl: post.canonicalUrl };
}

export async function getAuthor(username: string): Promise<z.infer<typeof authorSchema>> {
  const author = await getPublicProfileByUsername(username);
  if (!author) throw notFound("No writer by that name.");
  return { username: author.username, displayName: author.displayName, bio: author.bio, url: absoluteUrl(`/@${author.username}`), joinedAt: author.createdAt.toISOString() };
}

export async function search(query: z.infer<typeof searchQuerySchema>): Promise<z.infer<typeof searchPageSchema>> {
  const page = await searchPublishedPosts(query.q, query);
  return { items: page.items.map((hit) => ({ ...summary(hit), snippet: hit.snippet })), nextOffset: page.nextOffset };
}

/** Runs a REST handler: query validation errors answer 400, NOT_FOUND 404, both as JSON. */
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
    throw err;
  }
}

export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}
