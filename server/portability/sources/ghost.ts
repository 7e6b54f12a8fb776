import { ArchiveRefused } from "../archive-refused";
import { orNull, parseDate, text, type SourceArchive, type SourcePost } from "../source-post";
import { lexicalToHtml, mobiledocToHtml } from "./ghost-content";

// Ghost's JSON export (Settings → Labs → Export, Ghost 4–6): `{ db: [{ meta, data: { posts, tags,
// posts_tags, … } }] }` (older exports put `meta` and `data` at the top). Pages (`type: "page"`) are
// left out; tags come from `posts_tags` in their `sort_order`.

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.filter((r): r is Row => r !== null && typeof r === "object") : []);

function dataOf(parsed: unknown): Row {
  const root = (parsed ?? {}) as Row;
  const db = Array.isArray(root.db) ? (root.db[0] as Row | undefined) : undefined;
  const data = (db?.data ?? root.data) as Row | undefined;
  if (!data || typeof data !== "object" || !Array.isArray(data.posts)) {
    throw new ArchiveRefused("This JSON file is not a Ghost export: it has no db[0].data.posts.");
  }
  return data;
}

/** A mobiledoc that is one Markdown card (Ghost's Markdown editor, and InkWell's own export): the Markdown itself. */
function markdownCard(mobiledoc: string): string | null {
  try {
    const doc = JSON.parse(mobiledoc) as { cards?: unknown[]; sections?: unknown[] };
    const [card] = doc.cards ?? [];
    if (doc.sections?.length !== 1 || doc.cards?.length !== 1 || !Array.isArray(card) || card[0] !== "markdown") return null;
    return text((card[1] as Row | undefined)?.markdown);
  } catch {
    return null;
  }
}

function bodyOf(post: Row): SourcePost["body"] {
  const markdown = text(post.mobiledoc) ? markdownCard(text(post.mobiledoc)) : null;
  if (markdown !== null) return { markdown };
  const html = text(post.html);
  if (html.trim() !== "") return { html };
  try {
    if (text(post.lexical)) return { html: lexicalToHtml(text(post.lexical)) };
    if (text(post.mobiledoc)) return { html: mobiledocToHtml(text(post.mobiledoc)) };
  } catch {
    throw new ArchiveRefused(`The post "${text(post.title).slice(0, 80)}" has a body Ghost's export format does not allow; nothing was imported.`);
  }
  return { markdown: text(post.markdown) };
}

export function readGhostExport(json: string): SourceArchive {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ArchiveRefused("The file is not valid JSON, so it cannot be a Ghost export.");
  }
  const data = dataOf(parsed);
  const tagNames = new Map(rows(data.tags).map((tag) => [text(tag.id), text(tag.name) || text(tag.slug)]));
  const tagsByPost = new Map<string, { name: string; order: number }[]>();
  for (const link of rows(data.posts_tags)) {
    const name = tagNames.get(text(link.tag_id));
    if (!name || name.startsWith("#")) continue; // Ghost's internal tags start with #
    const list = tagsByPost.get(text(link.post_id)) ?? [];
    list.push({ name, order: typeof link.sort_order === "number" ? link.sort_order : list.length });
    tagsByPost.set(text(link.post_id), list);
  }
  const posts: SourcePost[] = [];
  let skipped = 0;
  for (const post of rows(data.posts)) {
    if (text(post.type) === "page" || post.page === true || post.page === 1) {
      skipped += 1;
      continue;
    }
    const id = text(post.uuid) || text(post.id);
    if (!id) throw new ArchiveRefused("A post in the Ghost export has no id; nothing was imported.");
    const status = text(post.status);
    posts.push({
      key: `ghost:${id}`,
      title: text(post.title),
      slug: orNull(post.slug),
      body: bodyOf(post),
      status: status === "published" || status === "sent" ? "published" : status === "scheduled" ? "scheduled" : "draft",
      publishedAt: parseDate(post.published_at),
      createdAt: parseDate(post.created_at),
      updatedAt: parseDate(post.updated_at),
      tags: (tagsByPost.get(text(post.id)) ?? []).sort((a, b) => a.order - b.order).map((t) => t.name),
      excerpt: orNull(post.custom_excerpt),
      coverImageUrl: orNull(post.feature_image),
      canonicalUrl: orNull(post.canonical_url),
    });
  }
  return { source: "ghost", posts, skipped, notes: [] };
}
