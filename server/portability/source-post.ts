import type { ImportSource } from "./schema";

/** One post as a source archive describes it, before conversion: what every reader below produces. */
export interface SourcePost {
  /** Names the post in its source, unique within it (Ghost id, WordPress guid, Medium file, Substack id). */
  key: string;
  title: string;
  slug: string | null;
  /** The body as HTML (WordPress, Medium, Substack, Ghost's html) or as Markdown (Ghost markdown cards). */
  body: { html: string } | { markdown: string };
  status: "draft" | "scheduled" | "published";
  publishedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  tags: string[];
  excerpt: string | null;
  coverImageUrl: string | null;
  canonicalUrl: string | null;
}

/** What reading an archive gives: the posts, and what was left aside (pages, attachments…). */
export interface SourceArchive {
  source: ImportSource;
  posts: SourcePost[];
  skipped: number;
  notes: string[];
}

/** A date from an export, or null when missing or unreadable ("0000-00-00 00:00:00" in WordPress). */
export function parseDate(value: unknown): Date | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  if (typeof value === "string" && (value.trim() === "" || value.startsWith("0000"))) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const text = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
export const orNull = (value: unknown): string | null => (text(value).trim() === "" ? null : text(value).trim());
