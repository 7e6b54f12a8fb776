import Link from "next/link";
import type { PublicPost } from "@/server/posts/service";
import { FormattedDate } from "./formatted-date";

/** Published posts as readers see them: title, excerpt, author, date, reading time. */
export function PublicPostList({
  posts,
  showAuthor = true,
  headingLevel = "h3",
}: {
  posts: PublicPost[];
  showAuthor?: boolean;
  headingLevel?: "h2" | "h3";
}) {
  const Heading = headingLevel;
  return (
    <ul className="divide-y divide-stone-200">
      {posts.map((post) => (
        <li key={post.id}>
          <article className="py-7">
            <Heading className="font-serif text-2xl leading-snug font-semibold tracking-tight text-stone-900">
              <Link
                href={`/@${post.author.username}/${post.slug}`}
                className="rounded-sm decoration-accent-300 decoration-2 underline-offset-4 hover:underline"
              >
                {post.title}
              </Link>
            </Heading>
            {post.excerpt ? <p className="mt-2 line-clamp-3 leading-relaxed text-stone-600">{post.excerpt}</p> : null}
            <p className="mt-3 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-stone-500">
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
          </article>
        </li>
      ))}
    </ul>
  );
}
