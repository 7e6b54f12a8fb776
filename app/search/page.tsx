import type { Metadata } from "next";
import Link from "next/link";
import { PublicPostList } from "@/components/public-post-list";
import { SearchForm } from "@/components/reading/search-form";
import { buttonClasses } from "@/components/ui/button";
import { postSearchSchema } from "@/lib/validations/post";
import { api } from "@/trpc/server";

type Props = { searchParams: Promise<{ q?: string | string[]; offset?: string | string[] }> };

const RESULTS_PER_PAGE = 10;

function single(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

/** The query and offset from the address; invalid ones give a message instead of results. */
async function parse(searchParams: Props["searchParams"]) {
  const params = await searchParams;
  const q = single(params.q).trim();
  const offset = Number.parseInt(single(params.offset) || "0", 10);
  if (!q) return { q, input: null, problem: null };
  const parsed = postSearchSchema.safeParse({ q, offset: Number.isNaN(offset) ? 0 : offset, limit: RESULTS_PER_PAGE });
  return parsed.success
    ? { q, input: parsed.data, problem: null }
    : { q, input: null, problem: parsed.error.issues[0]?.message ?? "That search cannot be run." };
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = await parse(searchParams);
  // Result pages are endless and change all the time: kept out of search engines, links still followed.
  return { title: q ? `Search: ${q}` : "Search", robots: { index: false, follow: true } };
}

function searchHref(q: string, offset: number): string {
  const params = new URLSearchParams({ q });
  if (offset > 0) params.set("offset", String(offset));
  return `/search?${params.toString()}`;
}

export default async function SearchPage({ searchParams }: Props) {
  const { q, input, problem } = await parse(searchParams);
  const results = input ? await (await api()).posts.search(input) : null;

  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-14 sm:px-6 sm:py-16">
      <h1 className="font-serif text-4xl font-semibold tracking-tight text-stone-900">Search</h1>
      <p className="mt-3 text-stone-600">
        Every published post, by its words, its author’s name and its tags. The beginning of a word is enough (<q>releas</q> finds
        “release”); use quotes for a phrase and a minus for words to leave out: <q>slow mornings</q> -coffee.
      </p>
      <SearchForm query={q} autoFocus={!q} className="mt-8" />

      {problem ? (
        <p role="alert" className="mt-8 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-950">
          {problem}
        </p>
      ) : null}

      {results && input ? (
        <section aria-labelledby="results-title" className="mt-12">
          <h2 id="results-title" className="text-sm font-semibold tracking-widest text-stone-600 uppercase">
            {results.items.length === 0
              ? input.offset > 0
                ? "No more results"
                : "No results"
              : input.offset > 0
                ? `More results for “${q}”`
                : `Results for “${q}”`}
          </h2>
          {results.items.length > 0 ? (
            <PublicPostList posts={results.items} />
          ) : (
            <p className="mt-6 text-stone-600">
              Nothing published matches <q className="font-medium text-stone-900">{q}</q>. Try fewer or different words, or{" "}
              <Link href="/tags" className="text-accent-700 underline underline-offset-4">
                browse by tag
              </Link>
              .
            </p>
          )}
          {input.offset > 0 || results.nextOffset !== null ? (
            <nav aria-label="Search results pages" className="mt-10 flex items-center justify-between gap-4 border-t border-stone-200 pt-6">
              {input.offset > 0 ? (
                <Link href={searchHref(q, Math.max(0, input.offset - RESULTS_PER_PAGE))} rel="prev" className={buttonClasses({ variant: "ghost" })}>
                  <span aria-hidden="true">←</span> Previous results
                </Link>
              ) : (
                <span />
              )}
              {results.nextOffset !== null ? (
                <Link href={searchHref(q, results.nextOffset)} rel="next" className={buttonClasses({ variant: "secondary" })}>
                  More results <span aria-hidden="true">→</span>
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
