import { sql } from "drizzle-orm";
import { check, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** The Post Service owns the `posts` Postgres schema. */
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
    // Incremented by every edit; jobs carry the version they were enqueued for.
    version: integer("version").notNull().default(1),
    visibility: postVisibility("visibility").notNull().default("draft"),
    status: postStatus("status").notNull().default("queued"),
    error: text("error"),
    // When the status last became `queued`: the worker's sweep re-enqueues versions left waiting too long.
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),

    // The worker's output for `processedVersion` (the newest version it finished).
    processedVersion: integer("processed_version"),
    html: text("html"),
    excerpt: text("excerpt"),
    wordCount: integer("word_count").notNull().default(0),
    readingTimeMinutes: integer("reading_time_minutes").notNull().default(0),

    // What readers see: the last processed version while the post was published. A newer edit being
    // processed does not touch these, so readers keep the old version until the new one is ready.
    publishedVersion: integer("published_version"),
    publishedTitle: text("published_title"),
    publishedHtml: text("published_html"),
    publishedExcerpt: text("published_excerpt"),
    publishedWordCount: integer("published_word_count"),
    publishedReadingTimeMinutes: integer("published_reading_time_minutes"),
    publishedAt: timestamp("published_at", { withTimezone: true }),

    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("posts_author_slug_key").on(t.authorId, t.slug),
    index("posts_author_updated_idx").on(t.authorId, t.updatedAt.desc(), t.id),
    index("posts_public_feed_idx").on(t.publishedAt.desc(), t.id).where(sql`${t.publishedHtml} is not null`),
    index("posts_queued_idx").on(t.queuedAt).where(sql`${t.status} = 'queued'`),
    check("posts_version_positive", sql`${t.version} > 0`),
  ],
);

export type PostRow = typeof posts.$inferSelect;
export type PostVisibility = (typeof postVisibility.enumValues)[number];
export type PostStatus = (typeof postStatus.enumValues)[number];
