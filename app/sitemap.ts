import type { MetadataRoute } from "next";
import { connection } from "next/server";
import { tagHref } from "@/components/reading/tag-list";
import { readSitemap } from "@/server/cache/public-reads";
import { absoluteUrl } from "@/server/urls";

/** Home, tags, every writer with a published post, every published post, every tag in use. */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  await connection(); // built per request from the data cache, never at build time (there is no database then)
  const { posts, authors, tags } = await readSitemap();
  const newest = posts.reduce<Date | undefined>((max, post) => (!max || post.updatedAt > max ? post.updatedAt : max), undefined);
  return [
    { url: absoluteUrl("/"), lastModified: newest, changeFrequency: "hourly", priority: 1 },
    { url: absoluteUrl("/tags"), lastModified: newest, changeFrequency: "daily", priority: 0.4 },
    ...authors.map(({ username, lastModified }) => ({ url: absoluteUrl(`/@${username}`), lastModified, changeFrequency: "weekly" as const, priority: 0.6 })),
    ...posts.map(({ username, slug, updatedAt }) => ({ url: absoluteUrl(`/@${username}/${slug}`), lastModified: updatedAt, priority: 0.8 })),
    ...tags.map(({ tag, lastModified }) => ({ url: absoluteUrl(tagHref(tag)), lastModified, changeFrequency: "weekly" as const, priority: 0.5 })),
  ];
}
