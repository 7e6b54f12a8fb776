import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PublicPostList } from "@/components/public-post-list";
import { FeedLink } from "@/components/reading/feed-link";
import { Pagination, cursorParam, withCursor } from "@/components/reading/pagination";
import { TagList } from "@/components/reading/tag-list";
import { buttonClasses } from "@/components/ui/button";
import { siteConfig, siteFeedAlternates } from "@/config/site";
import { readLatestPosts, readTags } from "@/server/cache/public-reads";
import { isAppError } from "@/server/errors";

type Props = { searchParams: Promise<{ cursor?: string | string[] }> };

/** How many tags the home page offers to browse by. */
const HOME_TAGS = 12;

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const cursor = cursorParam((await searchParams).cursor);
  // Older pages are for readers; search engines get the first page and the sitemap.
  return cursor
    ? { title: "Older posts", robots: { index: false, follow: true }, alternates: { types: siteFeedAlternates } }
    : { alternates: { canonical: "/", types: siteFeedAlternates } };
}

export default async function HomePage({ searchParams }: Props) {
  const cursor = cursorParam((await searchParams).cursor);
  const [page, tags] = await Promise.all([
    readLatestPosts(cursor).catch((error: unknown) => {
      if (isAppError(error, "INVALID")) notFound(); // a made-up cursor
      throw error;
    }),
    cursor ? Promise.resolve([]) : readTags(),
  ]);

  return (
    <>
      {cursor ? null : (
        <section aria-labelledby="hero-title" className="border-b border-stone-200/80">
          <div className="mx-auto max-w-3xl px-4 pt-20 pb-16 text-center sm:px-6 sm:pt-28 sm:pb-20">
            <h1 id="hero-title" className="font-serif text-4xl leading-tight font-semibold tracking-tight text-balance text-stone-900 sm:text-5xl">
              A quiet place to write, and a simple way to publish.
            </h1>
            <p className="mx-auto mt-5 max-w-xl text-lg leading-relaxed text-pretty text-stone-600">
              {siteConfig.name} gives you a Markdown editor, a live preview and your own page for readers. {siteConfig.tagline}
            </p>
            <div className="mt-9 flex flex-wrap justify-center gap-3">
              {/* The same for every reader (the page is cached): signed-in writers who follow it land on their dashboard. */}
              <Link href="/sign-up" className={buttonClasses({ size: "lg" })}>
                Start writing — it’s free
              </Link>
              <Link href="/dashboard" className={buttonClasses({ size: "lg", variant: "secondary" })}>
                Your dashboard
              </Link>
            </div>
          </div>
        </section>
      )}

      <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6">
        <section aria-labelledby="latest-title">
          <div className="flex items-baseline justify-between gap-4">
            {cursor ? (
              <h1 id="latest-title" className="font-serif text-3xl font-semibold tracking-tight text-stone-900">
                Older posts
              </h1>
            ) : (
              <h2 id="latest-title" className="text-sm font-semibold tracking-widest text-stone-600 uppercase">
                Latest posts
              </h2>
            )}
            <FeedLink href="/feed.xml" />
          </div>
          {page.items.length > 0 ? (
            <PublicPostList posts={page.items} headingLevel={cursor ? "h2" : "h3"} />
          ) : (
            <p className="mt-6 rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-600">
              {cursor ? "There are no older posts." : "Nothing published yet. The first post could be yours."}
            </p>
          )}
          <Pagination
            label="Latest posts pages"
            newestHref={cursor ? "/" : null}
            olderHref={page.nextCursor ? withCursor("/", page.nextCursor) : null}
          />
        </section>

        {tags.length > 0 ? (
          <section aria-labelledby="tags-title" className="mt-16 border-t border-stone-200 pt-10">
            <div className="flex items-baseline justify-between gap-4">
              <h2 id="tags-title" className="text-sm font-semibold tracking-widest text-stone-600 uppercase">
                Browse by tag
              </h2>
              <Link href="/tags" className="text-sm font-medium text-accent-700 hover:underline hover:underline-offset-4">
                All tags <span aria-hidden="true">→</span>
              </Link>
            </div>
            <TagList tags={tags.slice(0, HOME_TAGS).map((t) => t.tag)} size="md" className="mt-5" />
          </section>
        ) : null}
      </div>
    </>
  );
}
