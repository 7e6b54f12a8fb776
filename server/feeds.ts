import { XMLBuilder } from "fast-xml-parser";
import { withoutUnsafeCharacters } from "@/lib/validations/text";
import { isAppError } from "./errors";
import type { PublicPost } from "./posts/dto";
import { pagePublishedPostsByUsername } from "./posts/published-reads";
import { absoluteUrl, authorPath, postPath } from "./urls";

// RSS 2.0 feeds with the full rendered (sanitized) HTML of each post: site-wide, per writer, per tag.
//
// Every value is written as escaped text by fast-xml-parser's builder, never as CDATA (a "]]>" in a
// title ends a CDATA section, and a library that escaped only the first one let a title forge whole
// <item>s), and every "&" is escaped, entity-looking or not (post HTML holds "&lt;script&gt;" as text).
// The characters XML cannot carry are dropped first: the input schemas refuse them, but rows stored
// before they did must not make the whole feed unreadable for a strict parser.

export const FEED_SIZE = 30;

export type FeedScope = { kind: "site" } | { kind: "author"; username: string } | { kind: "tag"; tag: string };

/**
 * A post's RSS guid: its id, which never changes. Its URL changes with the slug, and readers would show
 * a renamed post as a new one.
 */
export function postGuid(post: Pick<PublicPost, "id">): string {
  return `urn:uuid:${post.id}`;
}

/** Text as XML can carry it (the builder escapes it). */
const xmlText = withoutUnsafeCharacters;

const rssBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", processEntities: true, format: true, suppressEmptyNode: true });

const IMAGE_TYPES: Record<string, string> = { png: "image/png", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml", avif: "image/avif" };

function imageType(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return IMAGE_TYPES[extension] ?? "image/jpeg";
}

/** The feed's XML, or null when the writer does not exist (the route answers 404). */
export async function buildFeed(scope: FeedScope): Promise<string | null> {
  let title = "InkWell";
  let description = "The latest posts on InkWell.";
  let pagePath = "/";
  let feedPath = "/feed.xml";
  const username = scope.kind === "author" ? scope.username : undefined;
  const tag = scope.kind === "tag" ? scope.tag : undefined;
  const page = await pagePublishedPostsByUsername({ username, tag, limit: FEED_SIZE }).catch((err: unknown) => {
    if (isAppError(err, "NOT_FOUND")) return null;
    throw err;
  });
  if (!page) return null;
  const { author, items } = page;

  if (author) {
    title = `${author.displayName} on InkWell`;
    description = author.bio || `Posts by ${author.displayName}.`;
    pagePath = authorPath(author);
    feedPath = `${authorPath(author)}/feed.xml`;
  } else if (tag !== undefined) {
    title = `#${tag} on InkWell`;
    description = `Posts tagged ${tag}.`;
    pagePath = `/tags/${encodeURIComponent(tag)}`;
    feedPath = `/tags/${encodeURIComponent(tag)}/feed.xml`;
  }

  const rss = {
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    rss: {
      "@_version": "2.0",
      "@_xmlns:dc": "http://purl.org/dc/elements/1.1/",
      "@_xmlns:content": "http://purl.org/rss/1.0/modules/content/",
      "@_xmlns:atom": "http://www.w3.org/2005/Atom",
      channel: {
        title: xmlText(title),
        link: absoluteUrl(pagePath),
        description: xmlText(description),
        lastBuildDate: (items[0]?.updatedAt ?? new Date(0)).toUTCString(),
        docs: "https://www.rssboard.org/rss-specification",
        generator: "InkWell",
        language: "en",
        copyright: "Each post © its author",
        "atom:link": { "@_href": absoluteUrl(feedPath), "@_rel": "self", "@_type": "application/rss+xml" },
        item: items.map((post) => ({
          title: xmlText(post.title),
          link: absoluteUrl(postPath(post)),
          guid: { "#text": postGuid(post), "@_isPermaLink": "false" },
          pubDate: post.publishedAt.toUTCString(),
          description: xmlText(post.excerpt),
          "content:encoded": xmlText(post.html),
          "dc:creator": xmlText(post.author.displayName),
          category: post.tags.map(xmlText),
          ...(post.coverImageUrl && {
            enclosure: { "@_url": xmlText(post.coverImageUrl), "@_length": "0", "@_type": imageType(post.coverImageUrl) },
          }),
        })),
      },
    },
  };
  return rssBuilder.build(rss) as string;
}
