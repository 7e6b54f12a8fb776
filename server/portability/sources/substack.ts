import { parse } from "csv-parse/sync";
import { ArchiveRefused } from "../archive-refused";
import { orNull, parseDate, type SourceArchive } from "../source-post";
import type { ZipArchive } from "../zip-archive";

// Substack's export (Settings → Exports): a zip with `posts.csv` (post_id "<id>.<slug>", post_date,
// is_published, type, audience, title, subtitle, …) and `posts/<post_id>.html`, the body only. Threads
// and podcasts without text are skipped; subscriber lists in the same zip are never read.

const CSV_FILE = /^(?:[^/]+\/)?posts\.csv$/;

export async function readSubstackExport(zip: ZipArchive): Promise<SourceArchive> {
  const csvName = zip.names().find((name) => CSV_FILE.test(name));
  if (!csvName) throw new ArchiveRefused("This zip is not a Substack export: it has no posts.csv.");
  const folder = csvName.slice(0, csvName.length - "posts.csv".length);
  let rows: Record<string, string>[];
  try {
    rows = parse(await zip.read(csvName), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ArchiveRefused(`posts.csv in the Substack export is malformed${line ? ` (line ${line})` : ""}; nothing was imported.`);
  }
  if (rows.length > 0 && !("post_id" in rows[0]!)) throw new ArchiveRefused("posts.csv has no post_id column, so it is not a Substack export.");
  const names = new Set(zip.names());
  const posts: SourceArchive["posts"] = [];
  let skipped = 0;
  const notes: string[] = [];
  for (const row of rows) {
    const postId = row.post_id ?? "";
    const file = `${folder}posts/${postId}.html`;
    if (!postId || (row.type && row.type !== "newsletter") || !names.has(file)) {
      skipped += 1;
      continue;
    }
    const slug = postId.replace(/^\d+\./, "");
    const published = row.is_published === "true";
    if (row.audience && row.audience !== "everyone") notes.push(`"${row.title ?? slug}" was for paid subscribers only; it is imported as a draft.`);
    posts.push({
      key: `substack:${postId.split(".")[0]}`,
      title: row.title ?? "",
      slug: orNull(slug),
      body: { html: await zip.read(file) },
      status: published && (!row.audience || row.audience === "everyone") ? "published" : "draft",
      publishedAt: published ? parseDate(row.post_date) : null,
      createdAt: parseDate(row.post_date),
      updatedAt: null,
      tags: [],
      excerpt: orNull(row.subtitle),
      coverImageUrl: null,
      canonicalUrl: null,
    });
  }
  return { source: "substack", posts, skipped, notes };
}
