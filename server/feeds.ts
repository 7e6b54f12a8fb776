import { Feed } from "feed";
import { env } from "./env.js";
import { pagePublishedPosts, type PublicPost } from "./posts/service";
import { getPublicProfileByUsername } from "./users/service";

// RSS 2.0 feeds with the full rendered (sanitized) HTML of each post: site-wide, per writer, per tag.

export const FEED_SIZE = 30;

export type FeedScope = { kind: "site" } | { kind: "author"; username: string } | { kind: "tag"; tag: string };

export function absoluteUrl(path: string): string {
  return new URL(path, env.APP_URL).toString();
}

export function postPath(post: Pick<PublicPost, "slug" | "author">): string {
  return `/@${post.author.username}/${post.slug}`;
}

/** The feed's XML, or null when the writer does not exist (the route answers 404). */
export async function buildFeed(scope: FeedScope): Promise<string | null> {
  let title = "InkWell";
  let description = "The latest posts on InkWell.";
  let pagePath = "/";
  let feedPath = "/feed.xml";
  let authorId: string | undefined;
  let tag: string | undefined;

  if (scope.kind === "author") {
    const author = await getPublicProfileByUsername(scope.username);
    if (!author) return null;
    authorId = author.id;
    title = `${author.displayName} on InkWell`;
    description = author.bio || `Posts by ${author.displayName}.`;
    pagePath = `/@${author.username}`;
    feedPath = `/@${author.username}/feed.xml`;
  } else if (scope.kind === "tag") {
    tag = scope.tag;
    title = `#${tag} on InkWell`;
    description = `Posts tagged ${tag}.`;
    pagePath = `/tags/${encodeURIComponent(tag)}`;
    feedPath = `/tags/${encodeURIComponent(tag)}/feed.xml`;
  }

  const { items } = await pagePublishedPosts({ authorId, tag, limit: FEED_SIZE });
  const feed = new Feed({
    title,
    description,
    id: absoluteUrl(pagePath),
    link: absoluteUrl(pagePath),
    language: "en",
    copyright: `Each post © its author`,
    updated: items[0]?.updatedAt ?? new Date(0),
    generator: "InkWell",
    feedLinks: { rss: absoluteUrl(feedPath) },
  });
  for (const post of items) {
    const url = absoluteUrl(postPath(post));
    feed.addItem({
      title: post.title,
      id: url,
      link: url,
      description: post.excerpt,
      content: post.html,
      author: [{ name: post.author.displayName, link: absoluteUrl(`/@${post.author.username}`) }],
      date: post.updatedAt,
      published: post.publishedAt,
      category: post.tags.map((name) => ({ name })),
      ...(post.coverImageUrl && { image: post.coverImageUrl }),
    });
  }
  return feed.rss2();
}
