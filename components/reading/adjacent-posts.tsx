import Link from "next/link";
import type { PostLink } from "@/trpc/types";

/** The writer's previous (older) and next (newer) posts. */
export function AdjacentPosts({ authorName, username, previous, next }: { authorName: string; username: string; previous: PostLink | null; next: PostLink | null }) {
  if (!previous && !next) return null;
  const card = "group block rounded-xl border border-stone-200 bg-white/70 p-5 transition-colors hover:border-accent-300 hover:bg-white";
  return (
    <nav aria-label={`More from ${authorName}`} className="grid gap-4 font-sans sm:grid-cols-2">
      {previous ? (
        <Link href={`/@${username}/${previous.slug}`} rel="prev" className={card}>
          <span className="block text-xs font-semibold tracking-widest text-stone-500 uppercase">
            <span aria-hidden="true">← </span>Previous post
          </span>
          <span className="mt-1.5 block font-serif text-lg leading-snug font-semibold text-stone-900 group-hover:underline group-hover:underline-offset-4">
            {previous.title}
          </span>
        </Link>
      ) : (
        <span className="hidden sm:block" />
      )}
      {next ? (
        <Link href={`/@${username}/${next.slug}`} rel="next" className={`${card} sm:text-right`}>
          <span className="block text-xs font-semibold tracking-widest text-stone-500 uppercase">
            Next post<span aria-hidden="true"> →</span>
          </span>
          <span className="mt-1.5 block font-serif text-lg leading-snug font-semibold text-stone-900 group-hover:underline group-hover:underline-offset-4">
            {next.title}
          </span>
        </Link>
      ) : null}
    </nav>
  );
}
