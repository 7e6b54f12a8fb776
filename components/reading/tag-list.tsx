import Link from "next/link";
import { cn } from "../ui/cn";

export function tagHref(tag: string): string {
  return `/tags/${encodeURIComponent(tag)}`;
}

/** A post's tags as links to their tag pages. */
export function TagList({ tags, className, size = "sm" }: { tags: readonly string[]; className?: string; size?: "sm" | "md" }) {
  if (tags.length === 0) return null;
  return (
    <ul aria-label="Tags" className={cn("flex flex-wrap gap-2", className)}>
      {tags.map((tag) => (
        <li key={tag}>
          <Link
            href={tagHref(tag)}
            className={cn(
              "inline-block rounded-full bg-stone-100 font-sans font-medium text-stone-700 ring-1 ring-stone-200 ring-inset transition-colors hover:bg-accent-50 hover:text-accent-800 hover:ring-accent-200",
              size === "sm" ? "px-2.5 py-0.5 text-xs" : "px-3 py-1 text-sm",
              // A 44 px target on touch screens and phones.
              "touch:inline-flex touch:min-h-11 touch:items-center touch:px-3.5 touch:text-sm",
            )}
          >
            <span aria-hidden="true">#</span>
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}
