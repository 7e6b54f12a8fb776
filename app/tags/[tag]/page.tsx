import type { Metadata } from "next";
import { notFound, permanentRedirect } from "next/navigation";
import { cache } from "react";
import { PublicPostList } from "@/components/public-post-list";
import { FeedLink } from "@/components/reading/feed-link";
import { Pagination, cursorParam, withCursor } from "@/components/reading/pagination";
import { tagHref } from "@/components/reading/tag-list";
import { siteConfig } from "@/config/site";
import { readTagPosts } from "@/server/cache/public-reads";
import { absoluteUrl } from "@/server/urls";
import { normalizeTag } from "./tag-param";
import { isAppError } from "@/server/errors";

type Props = { params: Promise<{ tag: string }>; searchParams: Promise<{ cursor?: string | string[] }> };

/** The tag's posts; a tag no published post has is the 404 page, a differently written one redirects. */
const load = cache(async (segment: string, cursor: string | null) => {
  const tag = normalizeTag(segment) ?? notFound();
  if (decodeURIComponent(segment) !== tag) permanentRedirect(cursor ? withCursor(tagHref(tag), cursor) : tagHref(tag));
  const page = await readTagPosts(tag, cursor).catch((error: unknown) => {
    if (isAppError(error, "INVALID")) notFound(); // a made-up cursor
    throw error;
  });
  if (!cursor && page.items.length === 0) notFound();
  return { tag, page };
});

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const cursor = cursorParam((await searchParams).cursor);
  const { tag } = await load((await params).tag, cursor);
  const path = tagHref(tag);
  const description = `Posts tagged #${tag} on ${siteConfig.name}.`;
  return {
    title: `#${tag}`,
    description,
    alternates: {
      canonical: path,
      types: { "application/rss+xml": [{ url: `${path}/feed.xml`, title: `#${tag} on ${siteConfig.name}` }] },
    },
    openGraph: { type: "website", url: absoluteUrl(path), title: `#${tag}`, description, siteName: siteConfig.name },
    ...(cursor && { robots: { index: false, follow: true } }),
  };
}

export default async function TagPage({ params, searchParams }: Props) {
  const cursor = cursorParam((await searchParams).cursor);
  const { tag, page } = await load((await params).tag, cursor);
  const path = tagHref(tag);

  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6 sm:py-16">
      <header className="border-b border-stone-200 pb-8">
        <p className="text-sm font-semibold tracking-widest text-stone-600 uppercase">Tag</p>
        <h1 className="mt-2 font-serif text-4xl font-semibold tracking-tight break-words text-stone-900">
          <span aria-hidden="true" className="text-accent-600">
            #
          </span>
          {tag}
        </h1>
        <div className="mt-4 flex flex-wrap items-center gap-x-5 gap-y-2">
          <p className="text-stone-600">{cursor ? "Older posts with this tag." : "Published posts with this tag, newest first."}</p>
          <FeedLink href={`${path}/feed.xml`} />
        </div>
      </header>
      {page.items.length > 0 ? (
        <PublicPostList posts={page.items} headingLevel="h2" />
      ) : (
        <p className="mt-8 text-stone-600">There are no older posts with this tag.</p>
      )}
      <Pagination label={`Pages of #${tag}`} newestHref={cursor ? path : null} olderHref={page.nextCursor ? withCursor(path, page.nextCursor) : null} />
    </div>
  );
}
