import Link from "next/link";
import { PublicPostList } from "@/components/public-post-list";
import { buttonClasses } from "@/components/ui/button";
import { siteConfig } from "@/config/site";
import { getSession } from "@/server/auth/session";
import { api } from "@/trpc/server";

export default async function HomePage() {
  const [session, posts] = await Promise.all([getSession(), api().then((caller) => caller.posts.latest({ limit: 20 }))]);

  return (
    <>
      <section aria-labelledby="hero-title" className="border-b border-stone-200/80">
        <div className="mx-auto max-w-3xl px-4 pt-20 pb-16 text-center sm:px-6 sm:pt-28 sm:pb-20">
          <h1 id="hero-title" className="font-serif text-4xl leading-tight font-semibold tracking-tight text-balance text-stone-900 sm:text-5xl">
            A quiet place to write, and a simple way to publish.
          </h1>
          <p className="mx-auto mt-5 max-w-xl text-lg leading-relaxed text-pretty text-stone-600">
            {siteConfig.name} gives you a Markdown editor, a live preview and your own page for readers. {siteConfig.tagline}
          </p>
          <div className="mt-9 flex flex-wrap justify-center gap-3">
            {session ? (
              <>
                <Link href="/dashboard" className={buttonClasses({ size: "lg" })}>
                  Go to your dashboard
                </Link>
                <Link href="/editor/new" className={buttonClasses({ size: "lg", variant: "secondary" })}>
                  Write a new post
                </Link>
              </>
            ) : (
              <>
                <Link href="/sign-up" className={buttonClasses({ size: "lg" })}>
                  Start writing — it’s free
                </Link>
                <Link href="/sign-in" className={buttonClasses({ size: "lg", variant: "secondary" })}>
                  Sign in
                </Link>
              </>
            )}
          </div>
        </div>
      </section>

      <section aria-labelledby="latest-title" className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6">
        <h2 id="latest-title" className="text-sm font-semibold tracking-widest text-stone-500 uppercase">
          Latest posts
        </h2>
        {posts.length > 0 ? (
          <PublicPostList posts={posts} />
        ) : (
          <p className="mt-6 rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-600">
            Nothing published yet. The first post could be yours.
          </p>
        )}
      </section>
    </>
  );
}
