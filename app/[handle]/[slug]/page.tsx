import type { Metadata } from "next";
import Link from "next/link";
import { permanentRedirect } from "next/navigation";
import { FormattedDate, formatDate } from "@/components/formatted-date";
import { decodeSegment, loadPublicPost } from "../_lib/public-data";

type Props = { params: Promise<{ handle: string; slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { handle, slug } = await params;
  const post = await loadPublicPost(handle, slug);
  return {
    title: post.title,
    description: post.excerpt,
    authors: [{ name: post.author.displayName, url: `/@${post.author.username}` }],
    alternates: { canonical: post.canonicalUrl ?? `/@${post.author.username}/${post.slug}` },
    openGraph: {
      type: "article",
      title: post.title,
      description: post.excerpt,
      publishedTime: post.publishedAt.toISOString(),
      tags: post.tags,
    },
  };
}

export default async function PostPage({ params }: Props) {
  const { handle, slug } = await params;
  const post = await loadPublicPost(handle, slug);
  const authorHref = `/@${post.author.username}`;
  // Found by a slug the post had before: send readers (and links) to its current address.
  if (post.slug !== decodeSegment(slug).toLowerCase()) permanentRedirect(`${authorHref}/${post.slug}`);
  const edited = formatDate(post.updatedAt) !== formatDate(post.publishedAt);

  return (
    <div className="px-4 py-14 sm:px-6 sm:py-20">
      <article aria-labelledby="post-title" className="mx-auto max-w-[68ch]">
        <header className="mb-10">
          <h1 id="post-title" className="font-serif text-4xl leading-[1.15] font-semibold tracking-tight text-balance text-stone-900 sm:text-5xl">
            {post.title}
          </h1>
          <p className="mt-6 flex flex-wrap items-center gap-x-2 gap-y-1 text-stone-500">
            <span>
              By{" "}
              <Link href={authorHref} rel="author" className="font-medium text-stone-800 hover:underline hover:underline-offset-4">
                {post.author.displayName}
              </Link>
            </span>
            <span aria-hidden="true">·</span>
            <FormattedDate date={post.publishedAt} />
            <span aria-hidden="true">·</span>
            <span>{post.readingTimeMinutes} min read</span>
            {edited ? (
              <>
                <span aria-hidden="true">·</span>
                <span>
                  Updated <FormattedDate date={post.updatedAt} />
                </span>
              </>
            ) : null}
          </p>
          {post.tags.length > 0 ? (
            <ul aria-label="Tags" className="mt-4 flex flex-wrap gap-2">
              {post.tags.map((tag) => (
                <li key={tag} className="rounded-full bg-stone-100 px-2.5 py-0.5 text-xs font-medium text-stone-600">
                  #{tag}
                </li>
              ))}
            </ul>
          ) : null}
        </header>
        {/* Rendered and sanitized by the server's Markdown pipeline before it was stored. */}
        <div className="prose" dangerouslySetInnerHTML={{ __html: post.html }} />
        <footer className="mt-16 border-t border-stone-200 pt-8">
          <p className="text-sm text-stone-500">Written by</p>
          <p className="mt-1 font-serif text-xl font-semibold">
            <Link href={authorHref} className="text-stone-900 hover:underline hover:underline-offset-4">
              {post.author.displayName}
            </Link>
          </p>
          {post.author.bio ? <p className="mt-2 max-w-prose text-stone-600">{post.author.bio}</p> : null}
        </footer>
      </article>
      {post.previous || post.next ? (
        <nav aria-label={`More from ${post.author.displayName}`} className="mx-auto mt-12 grid max-w-[68ch] gap-4 sm:grid-cols-2">
          {post.previous ? (
            <Link href={`${authorHref}/${post.previous.slug}`} className="group rounded-lg border border-stone-200 bg-white p-4 hover:border-stone-300">
              <span className="block text-xs font-medium tracking-wide text-stone-500 uppercase">Older</span>
              <span className="mt-1 block font-serif font-semibold text-stone-900 group-hover:underline">{post.previous.title}</span>
            </Link>
          ) : (
            <span aria-hidden="true" />
          )}
          {post.next ? (
            <Link
              href={`${authorHref}/${post.next.slug}`}
              className="group rounded-lg border border-stone-200 bg-white p-4 text-right hover:border-stone-300"
            >
              <span className="block text-xs font-medium tracking-wide text-stone-500 uppercase">Newer</span>
              <span className="mt-1 block font-serif font-semibold text-stone-900 group-hover:underline">{post.next.title}</span>
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
