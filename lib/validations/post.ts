import slugify from "@sindresorhus/slugify";
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

export const POST_TAGS_MAX = 5;
export const POST_EXCERPT_MAX = 300;
export const POST_COVER_ALT_MAX = 300;

export const POST_SLUG_MAX = 80;

/**
 * A slug as a writer types it ("Release Notes & Clear Writing!") in its URL form
 * ("release-notes-clear-writing"): lower-case ASCII words joined by single hyphens, accents
 * transliterated, punctuation and "&" dropped. "" when nothing usable is left.
 */
export function normalizeSlug(value: string): string {
  return slugify(value, { decamelize: false, customReplacements: [["&", " "]] });
}

export const postSlugSchema = storableText("The slug")
  .transform(normalizeSlug)
  .pipe(
    z
      .string()
      .min(1, "The slug needs at least one letter or digit, like my-first-post.")
      .max(POST_SLUG_MAX, `The slug must be at most ${POST_SLUG_MAX} characters.`),
  );

/** A tag as a writer types it ("Web Dev", "#react") becomes its normalised form ("web-dev", "react"). */
export const postTagSchema = z
  .string()
  .trim()
  .transform((tag) =>
    tag
      .toLowerCase()
      .replace(/^#+/, "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, ""),
  )
  .pipe(z.string().min(1, "A tag needs at least one letter or digit.").max(30, "Tags must be at most 30 characters."));

export const postTagsSchema = z
  .array(postTagSchema)
  .transform((tags) => [...new Set(tags)])
  .pipe(z.array(z.string()).max(POST_TAGS_MAX, `Use at most ${POST_TAGS_MAX} tags.`));

/** An http(s) URL, or null to clear the field. */
const optionalWebUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(2048, `${label} is too long.`)
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .url({ protocol: /^https?$/, message: `${label} must be an http:// or https:// address.` })
        .nullable(),
    )
    .nullable();

export const postUpdateSchema = z.object({
  id: postIdSchema,
  /** The version the edit is based on; a stale one is refused with CONFLICT. */
  version: z.number().int().positive(),
  title: postTitleSchema.optional(),
  markdown: postMarkdownSchema.optional(),
  slug: postSlugSchema.optional(),
  /**
   * The writer's own excerpt; empty or null goes back to the computed one. Stored as the post's
   * `excerptOverride` (the post's `excerpt` is what readers get: this one, or the worker's).
   */
  excerpt: storableText("The excerpt")
    .trim()
    .max(POST_EXCERPT_MAX, `The excerpt must be at most ${POST_EXCERPT_MAX} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  tags: postTagsSchema.optional(),
  coverImageUrl: optionalWebUrl("The cover image URL").optional(),
  /** Describes the cover for readers who cannot see it; empty or null removes it. */
  coverImageAlt: storableText("The cover image description")
    .trim()
    .max(POST_COVER_ALT_MAX, `The cover image description must be at most ${POST_COVER_ALT_MAX} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  canonicalUrl: optionalWebUrl("The canonical URL").optional(),
});
export type PostUpdateInput = z.input<typeof postUpdateSchema>;

export const postByIdSchema = z.object({ id: postIdSchema });

/** Publish, or Update a live post: `version` is the version the writer reviewed (a newer one is refused). */
export const postPublishSchema = z.object({ id: postIdSchema, version: z.number().int().positive().optional() });

/** Discard a live post's unpublished changes, based on the version the writer is looking at. */
export const postDiscardSchema = z.object({ id: postIdSchema, version: z.number().int().positive() });

/** Dashboard filters: drafts, scheduled, published (by visibility) and failed (by status). */
export const postListFilters = ["draft", "scheduled", "published", "failed"] as const;

export const postListSchema = z.object({
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(20),
  visibility: z.enum(postVisibilities).optional(),
  filter: z.enum(postListFilters).optional(),
  /** Case-insensitive search in titles. */
  query: storableText("The search").trim().max(200).optional(),
});

export const postScheduleSchema = z.object({
  id: postIdSchema,
  /** When to publish; must be in the future (a minute of clock skew is tolerated). */
  publishAt: z.coerce
    .date({ message: "Choose a date and time." })
    .refine((d) => d.getTime() > Date.now() - 60_000, "Choose a time in the future."),
});

export const postRevisionSchema = z.object({ id: postIdSchema, version: z.number().int().positive() });

export const postRestoreSchema = z.object({
  id: postIdSchema,
  /** The revision to bring back. */
  revision: z.number().int().positive(),
  /** The version the restore is based on, as for posts.update. */
  version: z.number().int().positive(),
});

/**
 * A writer's name in an address or a look-up: anything no username could be (NUL, "%", punctuation)
 * is refused before it reaches the database.
 */
export const postLookupUsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{1,30}$/, "No writer by that name.");

/** A slug in an address or a look-up (old slugs included: they redirect). */
export const postLookupSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]{1,120}$/, "No such post.");

export const postBySlugSchema = z.object({
  username: postLookupUsernameSchema,
  slug: postLookupSlugSchema,
});

export const postPreviewSchema = z.object({ markdown: postMarkdownSchema });

export const postLatestSchema = z.object({ limit: z.number().int().min(1).max(50).default(20) });

export const postByAuthorSchema = z.object({
  username: postLookupUsernameSchema,
  limit: z.number().int().min(1).max(50).default(20),
});

export const postPublishedSchema = z.object({
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(50).default(20),
  tag: postTagSchema.optional(),
  username: postLookupUsernameSchema.optional(),
});

export const postSearchSchema = z.object({
  q: storableText("The search").trim().min(1, "Type something to search for.").max(200, "The search is too long."),
  offset: z.number().int().min(0).max(10_000).default(0),
  limit: z.number().int().min(1).max(50).default(20),
});
