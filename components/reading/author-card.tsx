import Link from "next/link";
import { AuthorAvatar } from "./author-avatar";
import { FeedLink } from "./feed-link";

/** "Written by": who wrote the post, their bio, and where to read more of them. */
export function AuthorCard({ author }: { author: { username: string; displayName: string; bio: string } }) {
  const href = `/@${author.username}`;
  return (
    <section aria-labelledby="author-card-title" className="rounded-xl border border-stone-200 bg-white/70 p-6 font-sans text-base sm:p-7">
      <div className="flex items-start gap-4">
        <AuthorAvatar name={author.displayName} />
        <div className="min-w-0">
          <p className="text-xs font-semibold tracking-widest text-stone-500 uppercase">Written by</p>
          <h2 id="author-card-title" className="mt-1 font-serif text-xl font-semibold text-stone-900">
            <Link href={href} rel="author" className="hover:underline hover:underline-offset-4">
              {author.displayName}
            </Link>
          </h2>
          {author.bio ? <p className="mt-2 leading-relaxed whitespace-pre-line text-stone-600">{author.bio}</p> : null}
          <div className="mt-4 flex flex-wrap items-center gap-x-5 gap-y-2">
            <Link href={href} className="text-sm font-medium text-accent-700 hover:underline hover:underline-offset-4">
              More from {author.displayName} <span aria-hidden="true">→</span>
            </Link>
            <FeedLink href={`${href}/feed.xml`} label={`Follow ${author.displayName} by RSS`} />
          </div>
        </div>
      </div>
    </section>
  );
}
