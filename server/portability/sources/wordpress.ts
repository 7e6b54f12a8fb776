import { decodeXML } from "entities";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ArchiveRefused } from "../archive-refused";
import { orNull, parseDate, type SourceArchive, type SourcePost } from "../source-post";

// WordPress's export (Tools → Export: WXR, RSS 2.0 with the wp:, content:, excerpt: and dc: namespaces).
// Posts only: pages, attachments, menu items and trashed posts are counted as skipped. Categories and
// tags both become tags. The featured image is the attachment named by the `_thumbnail_id` meta.
//
// Entities: the parser expands none (processEntities: false), and a document that declares any
// (a DOCTYPE with <!ENTITY …>: external entities, "billion laughs") is refused outright. Text outside
// CDATA is decoded here with the five XML entities and character references only.

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: "#cdata",
  isArray: (name) => ["item", "category", "wp:postmeta"].includes(name),
});

/** The text of an element: its CDATA as is, its plain text decoded. */
function textOf(value: unknown): string {
  if (typeof value === "string") return decodeXML(value);
  if (Array.isArray(value)) return value.map(textOf).join("");
  if (value && typeof value === "object") {
    const node = value as Node;
    const cdata = node["#cdata"];
    const plain = node["#text"];
    return (cdata === undefined ? "" : Array.isArray(cdata) ? cdata.join("") : String(cdata)) + (plain === undefined ? "" : decodeXML(String(plain)));
  }
  return "";
}

const STATUS: Record<string, SourcePost["status"]> = { publish: "published", future: "scheduled", draft: "draft", pending: "draft", private: "draft" };

export function readWordPressExport(xml: string): SourceArchive {
  if (/<!DOCTYPE[^>]*\[/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new ArchiveRefused("The WordPress file declares XML entities, which a WordPress export never does; it was refused for safety.");
  }
  if (XMLValidator.validate(xml) !== true) throw new ArchiveRefused("The WordPress export is not well-formed XML (it may be cut short); nothing was imported.");
  const channel = ((parser.parse(xml) as Node).rss as Node | undefined)?.channel as Node | undefined;
  if (!channel || typeof channel !== "object") throw new ArchiveRefused("This XML file is not a WordPress export (WXR): it has no rss/channel.");
  const items = (channel.item ?? []) as Node[];
  const attachmentUrls = new Map<string, string>();
  for (const item of items) {
    if (textOf(item["wp:post_type"]) === "attachment") attachmentUrls.set(textOf(item["wp:post_id"]), textOf(item["wp:attachment_url"]));
  }
  const posts: SourcePost[] = [];
  let skipped = 0;
  for (const item of items) {
    const type = textOf(item["wp:post_type"]);
    const status = STATUS[textOf(item["wp:status"])];
    if ((type !== "post" && type !== "") || !status) {
      skipped += 1;
      continue;
    }
    const guid = textOf(item.guid) || textOf(item["wp:post_id"]);
    if (!guid) throw new ArchiveRefused("A post in the WordPress export has neither a guid nor a post id; nothing was imported.");
    const meta = ((item["wp:postmeta"] ?? []) as Node[]).map((m) => [textOf(m["wp:meta_key"]), textOf(m["wp:meta_value"])] as const);
    const thumbnailId = meta.find(([key]) => key === "_thumbnail_id")?.[1];
    const tags = ((item.category ?? []) as Node[])
      .filter((c) => c["@domain"] === "category" || c["@domain"] === "post_tag")
      .map((c) => textOf(c))
      .filter((name) => name.trim() !== "" && name !== "Uncategorized");
    const gmt = textOf(item["wp:post_date_gmt"]);
    posts.push({
      key: `wordpress:${guid}`,
      title: textOf(item.title),
      slug: orNull(decodeURIComponentSafe(textOf(item["wp:post_name"]))),
      body: { html: wpAutoParagraphs(textOf(item["content:encoded"])) },
      status,
      publishedAt: status === "draft" ? null : parseDate(gmt && !gmt.startsWith("0000") ? `${gmt.replace(" ", "T")}Z` : textOf(item.pubDate)),
      createdAt: parseDate(textOf(item.pubDate)),
      updatedAt: null,
      tags: [...new Set(tags)],
      excerpt: orNull(textOf(item["excerpt:encoded"])),
      coverImageUrl: thumbnailId ? orNull(attachmentUrls.get(thumbnailId)) : null,
      canonicalUrl: null,
    });
  }
  return { source: "wordpress", posts, skipped, notes: [] };
}

/** WordPress keeps non-ASCII slugs percent-encoded (`%e6%97%a5`). */
function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Classic-editor posts store paragraphs as blank lines, not <p> (WordPress adds them when it shows the
 * post, wpautop): wrap blank-line separated text that is not already a block in <p>.
 */
function wpAutoParagraphs(html: string): string {
  if (/<(p|div|h[1-6]|ul|ol|pre|table|figure|blockquote)[\s>]/i.test(html)) return html;
  return html
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${block.replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}
