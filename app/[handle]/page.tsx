import type { Metadata } from "next";
import { permanentRedirect } from "next/navigation";
import { formatDate } from "@/components/formatted-date";
import { SubscribeForm } from "@/components/newsletter/subscribe-form";
import { PublicPostList } from "@/components/public-post-list";
import { AuthorAvatar } from "@/components/reading/author-avatar";
import { FeedLink } from "@/components/reading/feed-link";
import { Pagination, cursorParam, withCursor } from "@/components/reading/pagination";
import { siteConfig } from "@/config/site";
import { absoluteUrl } from "@/server/urls";
import { decodeSegment, loadAuthor } from "./_lib/public-data";

type Props = { params: Promise<{ handle: string }>; searchParams: Promise<{ cursor?: string | string[] }> };

async function load({ params, searchParams }: Props) {
  const { handle } = await params;
  const cursor = cursorParam((await searchParams).cursor);
  const data = await loadAuthor(handle, cursor);
  // `/@Alice` → `/@alice`: one address per writer.
  if (decodeSegment(handle) !== `@${data.author.username}`) permanentRedirect(cursor ? withCursor(`/@${data.author.username}`, cursor) : `/@${data.author.username}`);
  return { ...data, cursor };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { author, cursor } = await load(props);
  const path = `/@${author.username}`;
  const description = author.bio || `Posts by ${author.displayName} on ${siteConfig.name}.`;
  return {
    title: `${author.displayName} (@${author.username})`,
    description,
    alternates: {
      canonical: path,
      types: { "application/rss+xml": [{ url: `${path}/feed.xml`, title: `${author.displayName} on ${siteConfig.name}` }] },
    },
    openGraph: { type: "profile", url: absoluteUrl(path), title: author.displayName, description, username: author.username, siteName: siteConfig.name },
    twitter: { card: "summary", title: author.displayName, description },
    ...(cursor && { robots: { index: false, follow: true } }),
  };
}

export default async function AuthorPage(props: Props) {
  const { author, posts, cursor } = await load(props);
  const path = `/@${author.username}`;

  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6 sm:py-16">
      <header className="flex flex-col items-start gap-6 border-b border-stone-200 pb-10 sm:flex-row">
        <AuthorAvatar name={author.displayName} size="lg" />
        <div className="min-w-0 flex-1">
          <h1 className="font-serif text-3xl font-semibold tracking-tight text-balance text-stone-900 sm:text-4xl">{author.displayName}</h1>
          <p className="mt-1.5 text-stone-600">
            @{author.username} · Writing since {formatDate(author.createdAt)}
          </p>
          {author.bio ? <p className="mt-4 max-w-prose font-serif text-lg leading-relaxed whitespace-pre-line text-stone-700">{author.bio}</p> : null}
          <FeedLink href={`${path}/feed.xml`} label={`Follow ${author.displayName} by RSS`} className="mt-5" />
        </div>
      </header>

      <SubscribeForm writer={author.username} writerName={author.displayName} className="mt-10 border-b border-stone-200 pb-10" />

      <section aria-labelledby="posts-title" className="mt-10">
        <h2 id="posts-title" className="text-sm font-semibold tracking-widest text-stone-600 uppercase">
          {cursor ? "Older posts" : "Published posts"}
        </h2>
        {posts.items.length > 0 ? (
          <PublicPostList posts={posts.items} showAuthor={false} />
        ) : (
          <p className="mt-6 text-stone-600">
            {cursor ? "There are no older posts." : `${author.displayName} has not published anything yet.`}
          </p>
        )}
        <Pagination
          label={`Pages of ${author.displayName}’s posts`}
          newestHref={cursor ? path : null}
          olderHref={posts.nextCursor ? withCursor(path, posts.nextCursor) : null}
        />
      </section>
    </div>
  );
}
