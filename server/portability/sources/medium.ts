import { fromHtml } from "hast-util-from-html";
import { select } from "hast-util-select";
import { toHtml } from "hast-util-to-html";
import { toString } from "hast-util-to-string";
import { ArchiveRefused } from "../archive-refused";
import { orNull, parseDate, type SourceArchive } from "../source-post";
import type { ZipArchive } from "../zip-archive";

// Medium's export (Settings → Download your information): a zip with `posts/*.html`, one complete page
// per post: the title in <h1 class="p-name">, the body in <section data-field="body">, the date in
// <time class="dt-published">, the original address in <a class="p-canonical">. Drafts are the files
// named `draft_…`. Responses (replies to others) are posts too in the export; they are imported as drafts.

const POST_FILE = /^(?:[^/]+\/)?posts\/([^/]+)\.html$/;

export async function readMediumExport(zip: ZipArchive): Promise<SourceArchive> {
  const files = zip.names().filter((name) => POST_FILE.test(name)).sort();
  if (files.length === 0) throw new ArchiveRefused("This zip is not a Medium export: it has no posts/*.html files.");
  const posts: SourceArchive["posts"] = [];
  for (const file of files) {
    const base = POST_FILE.exec(file)?.[1] ?? file;
    const tree = fromHtml(await zip.read(file));
    const body = select('section[data-field="body"]', tree) ?? select("article", tree) ?? select("body", tree);
    // Medium repeats the title as the body's first heading; the title field has it already.
    const title = toString(select("h1.p-name", tree) ?? select("title", tree) ?? { type: "root", children: [] }).trim();
    const firstHeading = body ? select("h3.graf--title, h1", body) : null;
    if (firstHeading && toString(firstHeading).trim() === title) firstHeading.children = [];
    const draft = base.startsWith("draft_");
    const canonical = select("a.p-canonical", tree)?.properties.href;
    const published = select("time.dt-published", tree)?.properties.dateTime;
    const slug = base.replace(/^draft_/, "").replace(/^\d{4}-\d{2}-\d{2}_/, "").replace(/-[0-9a-f]{10,12}$/, "");
    posts.push({
      key: `medium:${base}`,
      title,
      slug: orNull(slug),
      body: { html: body ? toHtml(body) : "" },
      status: draft ? "draft" : "published",
      publishedAt: draft ? null : parseDate(published),
      createdAt: parseDate(published),
      updatedAt: null,
      tags: [],
      excerpt: orNull(toString(select('section[data-field="subtitle"], .p-summary', tree) ?? { type: "root", children: [] })),
      coverImageUrl: null,
      canonicalUrl: typeof canonical === "string" && /^https?:\/\//.test(canonical) ? canonical : null,
    });
  }
  return { source: "medium", posts, skipped: zip.names().filter((name) => !name.endsWith("/")).length - files.length, notes: [] };
}
