import type { TocEntry } from "@/server/render";
import { cn } from "../ui/cn";

/** Posts with at least this many headings, or this many words, get a table of contents. */
export const TOC_MIN_HEADINGS = 3;
export const TOC_MIN_WORDS = 1_500;

export function wantsTableOfContents(post: { toc: readonly TocEntry[]; wordCount: number }): boolean {
  return post.toc.length > 0 && (post.toc.length >= TOC_MIN_HEADINGS || post.wordCount > TOC_MIN_WORDS);
}

function TocList({ entries }: { entries: readonly TocEntry[] }) {
  return (
    <ol className="mt-3 space-y-1.5 border-l border-stone-200 text-sm leading-snug">
      {entries.map((entry, index) => (
        <li key={`${entry.id}-${index}`} className={entry.depth === 3 ? "pl-7" : "pl-4"}>
          <a
            href={`#${entry.id}`}
            className={cn(
              "touch:py-2.5 -ml-px inline-block border-l border-transparent text-pretty hover:border-accent-600 hover:text-accent-800",
              entry.depth === 3 ? "text-stone-500" : "text-stone-700",
            )}
          >
            {entry.text}
          </a>
        </li>
      ))}
    </ol>
  );
}

/**
 * Links to the post's h2 and h3 headings (their ids come from the render pipeline). On wide screens a
 * list in the margin beside the text; on narrower ones, where it would stand between the title and the
 * first paragraph, a collapsed disclosure the reader opens when wanted.
 */
export function TableOfContents({ entries, className, compactClassName }: { entries: readonly TocEntry[]; className?: string; compactClassName?: string }) {
  return (
    <>
      <nav aria-label="On this page" className={cn("font-sans xl:hidden", compactClassName)}>
        <details className="group">
          <summary className="touch:py-3 cursor-pointer rounded-md py-1 text-sm font-semibold text-stone-700 marker:text-stone-400">
            On this page <span className="font-normal text-stone-500">({entries.length} sections)</span>
          </summary>
          <TocList entries={entries} />
        </details>
      </nav>
      <nav aria-labelledby="toc-title" className={cn("hidden font-sans xl:block", className)}>
        <h2 id="toc-title" className="text-xs font-semibold tracking-widest text-stone-500 uppercase">
          On this page
        </h2>
        <TocList entries={entries} />
      </nav>
    </>
  );
}
