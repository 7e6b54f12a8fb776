import type { Metadata } from "next";
import Link from "next/link";
import { tagHref } from "@/components/reading/tag-list";
import { siteConfig, siteFeedAlternates } from "@/config/site";
import { readTags } from "@/server/cache/public-reads";

export const metadata: Metadata = {
  title: "Tags",
  description: `Every tag on ${siteConfig.name}, most used first.`,
  alternates: { canonical: "/tags", types: siteFeedAlternates },
};

export default async function TagsPage() {
  const tags = await readTags();
  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6 sm:py-16">
      <h1 className="font-serif text-4xl font-semibold tracking-tight text-stone-900">Tags</h1>
      <p className="mt-3 text-stone-600">What writers here write about, most used first.</p>
      {tags.length > 0 ? (
        <ul className="mt-10 grid gap-3 sm:grid-cols-2">
          {tags.map(({ tag, count }) => (
            <li key={tag}>
              <Link
                href={tagHref(tag)}
                className="group flex items-baseline justify-between gap-4 rounded-lg border border-stone-200 bg-white/70 px-4 py-3 transition-colors hover:border-accent-300 hover:bg-white"
              >
                <span className="min-w-0 font-medium break-words text-stone-900 group-hover:text-accent-800">
                  <span aria-hidden="true" className="text-stone-400">
                    #
                  </span>
                  {tag}
                </span>
                <span className="shrink-0 text-sm text-stone-600">
                  {count} {count === 1 ? "post" : "posts"}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-10 rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-600">No tags yet.</p>
      )}
    </div>
  );
}
