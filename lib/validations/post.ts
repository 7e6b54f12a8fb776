import { z } from "zod";
import { storableText } from "./text";

// Shared by the editor and the posts router.

export const POST_TITLE_MAX = 200;
/** Markdown source limit, in characters; also the preview limit. */
export const POST_MARKDOWN_MAX = 100_000;

export const postVisibilities = ["draft", "scheduled", "published"] as const;
export const postStatuses = ["queued", "processing", "ready", "failed"] as const;

export const postTitleSchema = storableText("The title")
  .trim()
  .min(1, "Give the post a title.")
  .max(POST_TITLE_MAX, `Title must be at most ${POST_TITLE_MAX} characters.`);

export const postMarkdownSchema = storableText("The post")
  .max(POST_MARKDOWN_MAX, `The post is too long: at most ${POST_MARKDOWN_MAX.toLocaleString("en")} characters.`);

export const postIdSchema = z.uuid("Unknown post.");

export const postCreateSchema = z.object({ title: postTitleSchema, markdown: postMarkdownSchema });
export type PostCreateInput = z.input<typeof postCreateSchema>;

export const postUpdateSchema = z.object({
  id: postIdSchema,
  /** The version the edit is based on; a stale one is refused with CONFLICT. */
  version: z.number().int().positive(),
  title: postTitleSchema.optional(),
  markdown: postMarkdownSchema.optional(),
});
export type PostUpdateInput = z.input<typeof postUpdateSchema>;

export const postByIdSchema = z.object({ id: postIdSchema });

export const postListSchema = z.object({
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(20),
  visibility: z.enum(postVisibilities).optional(),
});

export const postBySlugSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(30),
  slug: z.string().trim().toLowerCase().min(1).max(120),
});

export const postPreviewSchema = z.object({ markdown: postMarkdownSchema });

export const postLatestSchema = z.object({ limit: z.number().int().min(1).max(50).default(20) });

export const postByAuthorSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(30),
  limit: z.number().int().min(1).max(50).default(20),
});
