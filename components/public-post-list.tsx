import Link from "next/link";
import type { PublicPost } from "@/trpc/types";
import { FormattedDate } from "./formatted-date";
import { TagList } from "./reading/tag-list";

/** What a list shows of a post (lists never need the body). */
export type ListedPost = Pick<PublicPost, "id" | "title" | "slug" | "excerpt" | "readingTimeMinutes" | "tags" | "publishedAt" | "author"> & {
  /** A search hit's snippet: HTML whose only markup is <mark> around matches (everything else escaped). */
  snippet?: string;
};

/** Published posts as readers see them: title, excerpt (or search snippet), author, date, reading time, tags. */
export function PublicPostList({
  posts,
  showAuthor = true,
  headingLevel = "h3",
}: {
  posts: ListedPost[];
  showAuthor?: boolean;
  headingLevel?: "h2" | "h3";
}) {
  const Heading = headingLevel;
  return (
    <ul className="divide-y divide-stone-200">
      {posts.map((post) => (
        <li key={post.id}>
          <article className="py-8">
            <Heading className="font-serif text-2xl leading-snug font-semibold tracking-tight text-balance text-stone-900">
              <Link
                href={`/@${post.author.username}/${post.slug}`}
                className="rounded-sm decoration-accent-300 decoration-2 underline-offset-4 hover:underline"
              >
                {post.title}
              </Link>
            </Heading>
            {post.snippet ? (
              <p
                className="mt-2 leading-relaxed text-stone-600 [&_mark]:rounded-sm [&_mark]:bg-amber-100 [&_mark]:px-0.5 [&_mark]:text-stone-900"
                // Built by the server from plain text: escaped, with only <mark> added (see SearchHit).
                dangerouslySetInnerHTML={{ __html: post.snippet }}
              />
            ) : post.excerpt ? (
              <p className="mt-2 line-clamp-3 leading-relaxed text-pretty text-stone-600">{post.excerpt}</p>
            ) : null}
            <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-2">
              <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-500">
                {showAuthor ? (
                  <>
                    <Link href={`/@${post.author.username}`} className="font-medium text-stone-700 hover:text-stone-950 hover:underline">
                      {post.author.displayName}
                    </Link>
                    <span aria-hidden="true">·</span>
                  </>
                ) : null}
                <FormattedDate date={post.publishedAt} />
                <span aria-hidden="true">·</span>
                <span>{post.readingTimeMinutes} min read</span>
              </p>
              <TagList tags={post.tags} />
            </div>
          </article>
        </li>
      ))}
    </ul>
  );
}
