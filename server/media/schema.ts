import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** The Media Service owns the `media` Postgres schema: writers' images and what the worker made of them. */
export const mediaSchema = pgSchema("media");

/** Where an image is: waiting for its bytes (a remote copy), waiting for or in the worker, done, or refused. */
export const imageStatus = mediaSchema.enum("image_status", ["fetching", "queued", "processing", "ready", "failed"]);

export const images = mediaSchema.table(
  "images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The writer (users schema, owned by the User Service; no cross-schema foreign key, as for posts).
    ownerId: uuid("owner_id").notNull(),
    /** SHA-256 (hex) of the original bytes: the key of every stored object; null until a remote copy is fetched. */
    contentHash: text("content_hash"),
    status: imageStatus("status").notNull().default("queued"),
    /** Why processing failed, as a sentence for the writer. */
    error: text("error"),
    /** The address a remote copy was fetched from. */
    sourceUrl: text("source_url"),
    /** Size of the original as uploaded; counts against the writer's quota. */
    originalBytes: bigint("original_bytes", { mode: "number" }).notNull().default(0),
    /** Original plus every variant: what the library shows and the quota counts. */
    storedBytes: bigint("stored_bytes", { mode: "number" }).notNull().default(0),
    /** The format read from the bytes (jpeg, png, webp, avif, gif, heif). */
    format: text("format"),
    /** Size of the largest variant (orientation applied): the width/height attributes and the Markdown address. */
    width: integer("width"),
    height: integer("height"),
    animated: boolean("animated").notNull().default(false),
    /** Extension of the fallback variants: jpg, png (transparency) or gif (animation). */
    fallback: text("fallback"),
    /** Widths of the variants, ascending. */
    widths: integer("widths").array(),
    /** ThumbHash of the image, base64: a placeholder of a few dozen bytes. */
    placeholder: text("placeholder"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // One row per writer and content: uploading the same picture twice gives the same image.
    uniqueIndex("images_owner_hash_key").on(t.ownerId, t.contentHash),
    index("images_owner_created_idx").on(t.ownerId, t.createdAt.desc()),
    index("images_hash_idx").on(t.contentHash),
    check("images_hash_hex", sql`${t.contentHash} is null or ${t.contentHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type ImageRow = typeof images.$inferSelect;
export type ImageStatus = (typeof imageStatus.enumValues)[number];
