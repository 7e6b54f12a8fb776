import { getTableColumns } from "drizzle-orm";
import { AppError } from "../errors";
import type { TocEntry } from "../render";
import type { PublicProfile } from "../users/service";
import { posts, type PostRow } from "./schema";

// What the posts module hands out: the writer's view of a post, the reader's view, and the column
// selections they are read with. Each list of fields is written once, here, as keys of the posts table
// (Drizzle's getTableColumns + a pick), so a new column reaches a view by adding its key to one list and
// TypeScript points at the rest. Client code takes these types from the router (trpc/types.ts).

const postColumns = getTableColumns(posts);
type PostColumnKey = keyof typeof postColumns;

/** The given columns of the posts table, as a Drizzle selection. */
function pickColumns<K extends PostColumnKey>(keys: readonly K[]): Pick<typeof postColumns, K> {
  return Object.fromEntries(keys.map((key) => [key, postColumns[key]])) as Pick<typeof postColumns, K>;
}

/**
 * The writer's view of a post: the working copy and its rendering (`processedVersion`), where the
 * worker is with it (`status`, `error`), and what is live (`publishedVersion`, `publishedSlug`,
 * `goingLiveVersion`). See the columns' comments in schema.ts. Never the live copy's content nor the
 * search vector.
 */
const OWN_POST_KEYS = [
  "id",
  "title",
  "slug",
  "markdown",
  "html",
  "excerpt",
  // The writer's own excerpt, if set (otherwise `excerpt` is computed from the text); the input field is `excerpt`.
  "excerptOverride",
  "tags",
  "coverImageUrl",
  "coverImageAlt",
  "canonicalUrl",
  "wordCount",
  "readingTimeMinutes",
  "visibility",
  "scheduledAt",
  "status",
  "version",
  "processedVersion",
  "publishedVersion",
  "publishedSlug",
  "goingLiveVersion",
  "goingLiveAt",
  "error",
  "createdAt",
  "updatedAt",
  "publishedAt",
] as const satisfies readonly PostColumnKey[];

/** A post as its author sees it. */
export type OwnPost = Pick<PostRow, (typeof OWN_POST_KEYS)[number]>;

/**
 * What a save answers: the post without `html`. Right after a save the html is the previous version's
 * (the new one is still being rendered), and it is the larger half of the post; the editor has it from
 * its query and hears when the new one is ready.
 */
export type SavedPost = Omit<OwnPost, "html">;

/** Copies the view's fields only, so no other column of the row (live copy, search vector) leaks out. */
export function toOwnPost(row: OwnPost): OwnPost {
  return Object.fromEntries(OWN_POST_KEYS.map((key) => [key, row[key]])) as OwnPost;
}

export function toSavedPost(row: SavedPost): SavedPost {
  const { html: _html, ...saved } = toOwnPost({ ...row, html: null });
  return saved;
}

/**
 * What a save answers (SavedPost), minus the Markdown (a text-only save already has it from the input),
 * plus the author, whom the status announcement addresses.
 */
export const savedPostColumnsButMarkdown = pickColumns([
  ...OWN_POST_KEYS.filter((key): key is Exclude<(typeof OWN_POST_KEYS)[number], "html" | "markdown"> => key !== "html" && key !== "markdown"),
  "authorId",
]);

/** A published post as readers see it: always the last processed version that was published. */
export interface PublicPost {
  id: string;
  title: string;
  slug: string;
  html: string;
  excerpt: string;
  wordCount: number;
  readingTimeMinutes: number;
  tags: string[];
  coverImageUrl: string | null;
  /** The cover's alt text ("" when the writer gave none). */
  coverImageAlt: string;
  canonicalUrl: string | null;
  /** The h2/h3 headings, for a table of contents on long posts. */
  toc: TocEntry[];
  publishedAt: Date;
  /** When the live version last changed (an autosave of the working copy does not change it). */
  updatedAt: Date;
  author: Pick<PublicProfile, "username" | "displayName" | "bio">;
}

/**
 * What a reader's view of a post is made of: the live (`published_*`) columns only, never the working
 * copy, which a live post's writer may be editing privately. Public reads select only these, so the
 * draft's Markdown, html and text (each as large as the post) and the search vector never leave the
 * database for a page view, a list or a search.
 */
export const publicPostColumns = pickColumns([
  "id",
  "authorId",
  "visibility",
  "publishedSlug",
  "publishedTags",
  "publishedCoverImageUrl",
  "publishedCoverImageAlt",
  "publishedCanonicalUrl",
  "publishedUpdatedAt",
  "publishedTitle",
  "publishedHtml",
  "publishedExcerpt",
  "publishedWordCount",
  "publishedReadingTimeMinutes",
  "publishedToc",
  "publishedAt",
]);
export type PublicPostRow = Pick<PostRow, keyof typeof publicPostColumns>;

export function toPublicPost(row: PublicPostRow, author: PublicProfile): PublicPost | null {
  if (row.visibility !== "published" || row.publishedHtml === null || row.publishedAt === null || row.publishedSlug === null) return null;
  return {
    id: row.id,
    title: row.publishedTitle ?? "",
    slug: row.publishedSlug,
    html: row.publishedHtml,
    excerpt: row.publishedExcerpt ?? "",
    wordCount: row.publishedWordCount ?? 0,
    readingTimeMinutes: row.publishedReadingTimeMinutes ?? 0,
    tags: row.publishedTags ?? [],
    coverImageUrl: row.publishedCoverImageUrl,
    coverImageAlt: row.publishedCoverImageAlt ?? "",
    canonicalUrl: row.publishedCanonicalUrl,
    toc: row.publishedToc ?? [],
    publishedAt: row.publishedAt,
    updatedAt: row.publishedUpdatedAt ?? row.publishedAt,
    author: { username: author.username, displayName: author.displayName, bio: author.bio },
  };
}

/** A link to another published post. */
export interface PostLink {
  id: string;
  title: string;
  slug: string;
}

export interface PublicPostPage extends PublicPost {
  /** The author's previous (older) and next (newer) published posts. */
  previous: PostLink | null;
  next: PostLink | null;
}

/** A search hit: the post plus a snippet whose matches are wrapped in <mark> (all else HTML-escaped). */
export interface SearchHit extends PublicPost {
  snippet: string;
}

export const postNotFound = () => new AppError("NOT_FOUND", "Post not found.");
