import { index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "../users/schema";

/**
 * The portability module owns the `portability` schema: imports, the import key of every imported post,
 * and exports. Every row belongs to an account through a foreign key with ON DELETE CASCADE, so deleting
 * the account removes them (as it does for every table that references users.users).
 */
export const portabilitySchema = pgSchema("portability");

export const importSources = ["ghost", "wordpress", "medium", "substack"] as const;
export type ImportSource = (typeof importSources)[number];
export const importSource = portabilitySchema.enum("import_source", importSources);

/**
 * uploaded → analysing → analysed (the dry-run summary is shown) → importing → done; or failed (the
 * archive was refused: nothing was imported) at analysis.
 */
export const importStates = ["analysing", "analysed", "importing", "done", "failed"] as const;
export type ImportState = (typeof importStates)[number];
export const importState = portabilitySchema.enum("import_state", importStates);

/** What the dry run found; shown before anything is imported. */
export interface ImportSummary {
  posts: number;
  drafts: number;
  scheduled: number;
  published: number;
  /** Pages, attachments and other items that are not posts. */
  skipped: number;
  /** Posts in which embeds (tweets, videos, scripts) were dropped. */
  postsWithDroppedEmbeds: number;
  /** Posts already imported by an earlier import of the same archive. */
  alreadyImported: number;
  notes: string[];
}

export const imports = portabilitySchema.table(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    /** Where the uploaded archive is kept (ArchiveStorage key); removed when the import ends. */
    storageKey: text("storage_key").notNull(),
    source: importSource("source"),
    state: importState("state").notNull().default("analysing"),
    summary: jsonb("summary").$type<ImportSummary>(),
    /** Posts handled so far (imported or already there), of `summary.posts`. */
    processed: integer("processed").notNull().default(0),
    imported: integer("imported").notNull().default(0),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("imports_user_idx").on(t.userId, t.createdAt.desc())],
);
export type ImportRow = typeof imports.$inferSelect;

/**
 * One row per imported source post: `importKey` names the post in its source ("ghost:<uuid>",
 * "wordpress:<guid>"…), so importing the same archive again, or resuming a crashed import, never
 * creates a second copy.
 */
export const importedPosts = portabilitySchema.table(
  "imported_posts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    importKey: text("import_key").notNull(),
    postId: uuid("post_id").notNull(),
    importId: uuid("import_id").references(() => imports.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.importKey] })],
);

export const exportStates = ["building", "ready", "failed"] as const;
export type ExportState = (typeof exportStates)[number];
export const exportState = portabilitySchema.enum("export_state", exportStates);

export const dataExports = portabilitySchema.table(
  "exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    state: exportState("state").notNull().default("building"),
    storageKey: text("storage_key").notNull(),
    /** SHA-256 of the download link's token (only the mailed link carries the token itself). */
    tokenHash: text("token_hash"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    posts: integer("posts").notNull().default(0),
    bytes: integer("bytes"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("exports_user_idx").on(t.userId, t.createdAt.desc())],
);
export type ExportRow = typeof dataExports.$inferSelect;
