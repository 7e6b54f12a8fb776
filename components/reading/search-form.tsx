import { buttonClasses } from "../ui/button";
import { controlClasses } from "../ui/input";
import { cn } from "../ui/cn";

/** A plain GET form to /search: works without JavaScript, and the results page has a shareable URL. */
export function SearchForm({ query = "", autoFocus = false, className }: { query?: string; autoFocus?: boolean; className?: string }) {
  return (
    <form role="search" action="/search" method="get" className={cn("flex gap-2", className)}>
      <label htmlFor="search-q" className="sr-only">
        Search posts
      </label>
      <input
        id="search-q"
        name="q"
        type="search"
        defaultValue={query}
        placeholder="Search posts"
        maxLength={200}
        autoFocus={autoFocus}
        className={cn(controlClasses, "h-11 min-w-0 flex-1 text-base")}
      />
      <button type="submit" className={buttonClasses({ size: "lg" })}>
        Search
      </button>
    </form>
  );
}
