import type { TocEntry } from "@/server/render";
import { cn } from "../ui/cn";

/** Posts with at least this many headings, or this many words, get a table of contents. */
export const TOC_MIN_HEADINGS = 3;
export const TOC_MIN_WORDS = 1_500;

export function wantsTableOfContents(post: { toc: readonly TocEntry[]; wordCount: number }): boolean {
  return post.toc.length > 0 && (post.toc.length >= TOC_MIN_HEADINGS || post.wordCount > TOC_MIN_WORDS);
}

/** Links to the post's h2 and h3 headings (their ids come from the render pipeline). */
export function TableOfContents({ entries, className }: { entries: readonly TocEntry[]; className?: string }) {
  return (
    <nav aria-labelledby="toc-title" className={cn("font-sans", className)}>
      <h2 id="toc-title" className="text-xs font-semibold tracking-widest text-stone-500 uppercase">
        On this page
      </h2>
      <ol className="mt-3 space-y-1.5 border-l border-stone-200 text-sm leading-snug">
        {entries.map((entry, index) => (
          <li key={`${entry.id}-${index}`} className={entry.depth === 3 ? "pl-7" : "pl-4"}>
            <a
              href={`#${entry.id}`}
              className={cn(
                "-ml-px inline-block border-l border-transparent text-pretty hover:border-accent-600 hover:text-accent-800",
                entry.depth === 3 ? "text-stone-500" : "text-stone-700",
              )}
            >
              {entry.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
