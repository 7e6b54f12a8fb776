import type { Metadata } from "next";
import { PublicPostList } from "@/components/public-post-list";
import { formatDate } from "@/components/formatted-date";
import { loadAuthor } from "./_lib/public-data";

type Props = { params: Promise<{ handle: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { author } = await loadAuthor((await params).handle);
  return {
    title: `${author.displayName} (@${author.username})`,
    description: author.bio || `Posts by ${author.displayName} on InkWell.`,
  };
}

export default async function AuthorPage({ params }: Props) {
  const { author, posts } = await loadAuthor((await params).handle);
  const initial = author.displayName.trim().charAt(0).toUpperCase() || "@";

  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6">
      <header className="flex flex-col items-start gap-5 border-b border-stone-200 pb-10 sm:flex-row sm:items-center">
        <div
          aria-hidden="true"
          className="flex size-16 shrink-0 items-center justify-center rounded-full bg-accent-100 font-serif text-2xl font-semibold text-accent-800"
        >
          {initial}
        </div>
        <div className="min-w-0">
          <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900 sm:text-4xl">{author.displayName}</h1>
          <p className="mt-1 text-stone-500">
            @{author.username} · Writing since {formatDate(author.createdAt)}
          </p>
          {author.bio ? <p className="mt-4 max-w-prose leading-relaxed whitespace-pre-line text-stone-700">{author.bio}</p> : null}
        </div>
      </header>

      <section aria-labelledby="posts-title" className="mt-10">
        <h2 id="posts-title" className="text-sm font-semibold tracking-widest text-stone-500 uppercase">
          Published posts
        </h2>
        {posts.length > 0 ? (
          <PublicPostList posts={posts} showAuthor={false} />
        ) : (
          <p className="mt-6 text-stone-600">{author.displayName} has not published anything yet.</p>
        )}
      </section>
    </div>
  );
}
