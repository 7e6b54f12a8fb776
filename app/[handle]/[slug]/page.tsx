import type { Metadata } from "next";
import Link from "next/link";
import { permanentRedirect } from "next/navigation";
import { FormattedDate, formatDate } from "@/components/formatted-date";
import { CopyLinkButton } from "@/components/copy-link-button";
import { AdjacentPosts } from "@/components/reading/adjacent-posts";
import { AuthorAvatar } from "@/components/reading/author-avatar";
import { AuthorCard } from "@/components/reading/author-card";
import { SubscribeForm } from "@/components/newsletter/subscribe-form";
import { JsonLd } from "@/components/reading/json-ld";
import { readerHtml } from "@/components/reading/reader-html";
import { TableOfContents, wantsTableOfContents } from "@/components/reading/table-of-contents";
import { TagList } from "@/components/reading/tag-list";
import { siteConfig } from "@/config/site";
import type { PublicPostPage } from "@/trpc/types";
import { CACHE_KEYS_META, postKey } from "@/server/cache/public-routes";
import { absoluteUrl, postPath } from "@/server/urls";
import { decodeSegment, loadPublicPost } from "../_lib/public-data";

type Props = { params: Promise<{ handle: string; slug: string }> };

/**
 * The post, at its current address. Found by a slug it had before (or a differently written address), it
 * answers with a permanent redirect instead, so old links and search engines move to the new URL.
 */
async function loadCanonicalPost(params: Props["params"]): Promise<PublicPostPage> {
  const { handle, slug } = await params;
  const post = await loadPublicPost(handle, slug);
  const requested = `${decodeSegment(handle)}/${decodeSegment(slug)}`;
  if (requested !== `@${post.author.username}/${post.slug}`) permanentRedirect(postPath(post));
  return post;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const post = await loadCanonicalPost(params);
  const url = absoluteUrl(postPath(post));
  const authorUrl = absoluteUrl(`/@${post.author.username}`);
  // og:image:alt: the writer's description of the cover, else the title (what the card is about).
  const images = post.coverImageUrl ? [{ url: post.coverImageUrl, alt: post.coverImageAlt || post.title }] : undefined;
  return {
    title: post.title,
    description: post.excerpt,
    authors: [{ name: post.author.displayName, url: authorUrl }],
    keywords: post.tags,
    alternates: {
      // The writer's own canonical address if they set one (the post first appeared elsewhere).
      canonical: post.canonicalUrl ?? url,
      types: { "application/rss+xml": [{ url: absoluteUrl(`/@${post.author.username}/feed.xml`), title: `${post.author.displayName} on ${siteConfig.name}` }] },
    },
    openGraph: {
      type: "article",
      url,
      siteName: siteConfig.name,
      title: post.title,
      description: post.excerpt,
      publishedTime: post.publishedAt.toISOString(),
      modifiedTime: post.updatedAt.toISOString(),
      authors: [authorUrl],
      tags: post.tags,
      images,
    },
    twitter: {
      card: images ? "summary_large_image" : "summary",
      title: post.title,
      description: post.excerpt,
      images: images?.map((image) => image.url),
    },
  };
}

function blogPosting(post: PublicPostPage): Record<string, unknown> {
  const url = absoluteUrl(postPath(post));
  return {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: post.title,
    description: post.excerpt,
    url,
    mainEntityOfPage: { "@type": "WebPage", "@id": post.canonicalUrl ?? url },
    datePublished: post.publishedAt.toISOString(),
    dateModified: post.updatedAt.toISOString(),
    author: { "@type": "Person", name: post.author.displayName, url: absoluteUrl(`/@${post.author.username}`) },
    publisher: { "@type": "Organization", name: siteConfig.name, url: absoluteUrl("/") },
    ...(post.coverImageUrl && { image: [post.coverImageUrl] }),
    ...(post.tags.length > 0 && { keywords: post.tags.join(", ") }),
    wordCount: post.wordCount,
    inLanguage: "en",
  };
}

export default async function PostPage({ params }: Props) {
  const post = await loadCanonicalPost(params);
  const authorHref = `/@${post.author.username}`;
  const edited = formatDate(post.updatedAt) !== formatDate(post.publishedAt);
  const showToc = wantsTableOfContents(post);

  return (
    <div className="px-4 pt-6 pb-16 sm:px-6 sm:pt-16 sm:pb-24">
      {/* Tells the caches which posts this page shows (server/cache/tags.ts): its own, whatever its address, and the previous and next ones it names. */}
      <meta name={CACHE_KEYS_META} content={[post, post.previous, post.next].flatMap((shown) => (shown ? [postKey(shown.id)] : [])).join(" ")} />
      <JsonLd data={blogPosting(post)} />
      {/* One grid for the whole article: the text column in the middle keeps a ~70-character measure
          (`ch` of the body font, set on the grid); on wide screens the contents sit in the right margin. */}
      <article aria-labelledby="post-title" className="reading-grid font-serif text-[1.1875rem]">
        <header className="reading-column font-sans">
          <h1
            id="post-title"
            className="font-serif text-[2.25rem] leading-[1.12] font-semibold tracking-tight text-balance text-stone-900 sm:text-5xl sm:leading-[1.08]"
          >
            {post.title}
          </h1>
          <div className="mt-5 flex items-center gap-3 sm:mt-7">
            <AuthorAvatar name={post.author.displayName} size="sm" />
            <div className="min-w-0 text-[0.9375rem] leading-snug">
              <p>
                <Link href={authorHref} rel="author" className="font-medium text-stone-900 hover:underline hover:underline-offset-4">
                  {post.author.displayName}
                </Link>
              </p>
              <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-stone-600">
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
            </div>
          </div>
          <TagList tags={post.tags} className="mt-4 sm:mt-5" />
        </header>

        {post.coverImageUrl ? (
          <div className="reading-wide mt-6 sm:mt-10">
            {/* A writer's image on any host (next/image would need every host configured). Its alt text is the
                writer's description; without one it is decorative (the title says what the post is about). */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={post.coverImageUrl}
              alt={post.coverImageAlt}
              className="mx-auto aspect-video max-h-56 w-full rounded-xl sm:max-h-[34rem] bg-stone-100 object-cover shadow-sm"
              referrerPolicy="no-referrer"
            />
          </div>
        ) : null}

        <div className="reading-body mt-6 sm:mt-12">
          {showToc ? (
            <TableOfContents entries={post.toc} className="reading-toc" compactClassName="mb-6 rounded-lg border border-stone-200 bg-white/60 px-4 py-2 sm:mb-10" />
          ) : null}
          {/* Rendered and sanitized by the server's Markdown pipeline before it was stored. */}
          <div className="prose reading-column" dangerouslySetInnerHTML={{ __html: readerHtml(post.html) }} />
        </div>

        <footer className="reading-column mt-16 space-y-10">
          <CopyLinkButton url={absoluteUrl(postPath(post))} />
          <AuthorCard author={post.author} />
          <SubscribeForm writer={post.author.username} writerName={post.author.displayName} className="mt-10" />
          <AdjacentPosts authorName={post.author.displayName} username={post.author.username} previous={post.previous} next={post.next} />
        </footer>
      </article>
    </div>
  );
}
