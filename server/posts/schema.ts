import { sql } from "drizzle-orm";
import { check, customType, index, integer, smallint, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { TocEntry } from "../render";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** The Post Service owns the `posts` Postgres schema. */

// The posts table keeps its times to the millisecond, as JavaScript's Date does: keyset cursors and the
// previous/next links compare times the app read back as Dates, so a stored microsecond part (from
// now() or a default) would make a post skip a page or find itself as its own neighbour.
export const postsSchema = pgSchema("posts");

/** Who may read the post. Kept apart from processing: a published post can have a newer edit in flight. */
export const postVisibility = postsSchema.enum("post_visibility", ["draft", "scheduled", "published"]);
/** Where the worker is with the post's latest version. */
export const postStatus = postsSchema.enum("post_status", ["queued", "processing", "ready", "failed"]);

export const posts = postsSchema.table(
  "posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The author lives in the users schema, owned by the User Service. No cross-schema foreign key:
    // each service owns its schema and could move to its own database, as in the design.
    authorId: uuid("author_id").notNull(),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    markdown: text("markdown").notNull(),
    /** Up to five normalised tags (lower-case, hyphenated). */
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    coverImageUrl: text("cover_image_url"),
    /** Describes the cover image for readers who cannot see it (its alt text, and og:image:alt). */
    coverImageAlt: text("cover_image_alt"),
    canonicalUrl: text("canonical_url"),
    /** The writer's own excerpt; when null the worker's computed one is shown. */
    excerptOverride: text("excerpt_override"),
    /** When a `scheduled` post is to be published. */
    scheduledAt: timestamp("scheduled_at", { withTimezone: true, precision: 3 }),
    // Incremented by every edit; jobs carry the version they were enqueued for.
    version: integer("version").notNull().default(1),
    visibility: postVisibility("visibility").notNull().default("draft"),
    status: postStatus("status").notNull().default("queued"),
    error: text("error"),
    // When the status last became `queued`: the worker's sweep re-enqueues versions left waiting too long.
    queuedAt: timestamp("queued_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),

    // The worker's output for `processedVersion` (the newest version it finished).
    processedVersion: integer("processed_version"),
    /**
     * The render engine (RENDER_ENGINE_VERSION) of the older of the two stored renderings, `html` and
     * `publishedHtml`. Rows of an older engine are rendered again by the worker's `rerender-posts` job.
     */
    renderedWith: smallint("rendered_with").notNull().default(1),
    html: text("html"),
    excerpt: text("excerpt"),
    wordCount: integer("word_count").notNull().default(0),
    readingTimeMinutes: integer("reading_time_minutes").notNull().default(0),
    // Kept with the rendering so publishing a processed version is a copy, not a second render.
    /** Plain text of `processedVersion`; becomes `publishedText` when that version is published. */
    text: text("text"),
    /** Table of contents of `processedVersion`; becomes `publishedToc`. */
    toc: jsonb("toc").$type<TocEntry[]>(),

    // The columns above are the writer's working copy; edits (autosaves) change only them. A post's
    // live version, what readers, feeds, search, the REST API and the sitemap see, is the `published_*`
    // columns below: a copy of the working copy (and its rendering) made only when the writer publishes
    // or presses Update (or a scheduled update fires), by the worker once that version is rendered.

    /**
     * The version the writer asked to make live (Publish, Update, or a schedule firing) that is not live
     * yet: the worker copies it into the live columns when it finishes rendering exactly this version.
     */
    goingLiveVersion: integer("going_live_version"),
    /** When that was asked: the editor says "Not live yet" when processing takes long. */
    goingLiveAt: timestamp("going_live_at", { withTimezone: true, precision: 3 }),

    /** The version readers currently see (set when the working copy matches it again after Discard). */
    publishedVersion: integer("published_version"),
    publishedTitle: text("published_title"),
    /** The live address; the working copy's `slug` becomes it only when the post goes live. */
    publishedSlug: text("published_slug"),
    /** The live version's Markdown: what "Discard changes" brings back into the working copy. */
    publishedMarkdown: text("published_markdown"),
    publishedTags: text("published_tags").array(),
    publishedCoverImageUrl: text("published_cover_image_url"),
    publishedCoverImageAlt: text("published_cover_image_alt"),
    publishedCanonicalUrl: text("published_canonical_url"),
    /** The writer's own excerpt as it went live (`publishedExcerpt` is what readers get). */
    publishedExcerptOverride: text("published_excerpt_override"),
    /** When the live version last changed: the feeds', sitemap's and API's "updated". */
    publishedUpdatedAt: timestamp("published_updated_at", { withTimezone: true, precision: 3 }),
    publishedHtml: text("published_html"),
    publishedExcerpt: text("published_excerpt"),
    publishedWordCount: integer("published_word_count"),
    publishedReadingTimeMinutes: integer("published_reading_time_minutes"),
    /** Plain text of the published version, written by the worker; feeds the search index below. */
    publishedText: text("published_text"),
    /** Table of contents (h2/h3) of the published version. */
    publishedToc: jsonb("published_toc").$type<TocEntry[]>(),
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      (): ReturnType<typeof sql> =>
        sql`setweight(to_tsvector('english', coalesce(published_title, '')), 'A') || setweight(to_tsvector('english', coalesce(published_text, '')), 'B')`,
    ),
    publishedAt: timestamp("published_at", { withTimezone: true, precision: 3 }),

    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("posts_author_slug_key").on(t.authorId, t.slug),
    index("posts_author_updated_idx").on(t.authorId, t.updatedAt.desc(), t.id),
    index("posts_public_feed_idx").on(t.publishedAt.desc(), t.id).where(sql`${t.publishedHtml} is not null`),
    index("posts_search_idx").using("gin", t.searchVector),
    // Readers find a post by its live address and live tags, never the working copy's.
    uniqueIndex("posts_author_published_slug_key").on(t.authorId, t.publishedSlug).where(sql`${t.publishedSlug} is not null`),
    index("posts_published_tags_idx").using("gin", t.publishedTags),
    // Scheduled first publications and scheduled updates of live posts.
    index("posts_scheduled_idx").on(t.scheduledAt).where(sql`${t.scheduledAt} is not null`),
    index("posts_queued_idx").on(t.queuedAt).where(sql`${t.status} in ('queued', 'processing')`),
    check("posts_version_positive", sql`${t.version} > 0`),
    check("posts_tags_max", sql`cardinality(${t.tags}) <= 5`),
  ],
);

/** Every published version, kept so the writer can view, compare and restore it. */
export const revisions = postsSchema.table(
  "revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    markdown: text("markdown").notNull(),
    html: text("html").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("revisions_post_version_key").on(t.postId, t.version)],
);

/** Old slugs of published posts, so their URLs keep working (301 to the current slug). */
export const slugRedirects = postsSchema.table(
  "slug_redirects",
  {
    authorId: uuid("author_id").notNull(),
    slug: text("slug").notNull(),
    postId: uuid("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("slug_redirects_author_slug_key").on(t.authorId, t.slug)],
);

export type RevisionRow = typeof revisions.$inferSelect;

export type PostRow = typeof posts.$inferSelect;
export type PostVisibility = (typeof postVisibility.enumValues)[number];
export type PostStatus = (typeof postStatus.enumValues)[number];
