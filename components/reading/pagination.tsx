import Link from "next/link";
import { buttonClasses } from "../ui/button";

/**
 * Links between pages of a newest-first list. Pages are addressed by a cursor (`?cursor=`), so they work
 * without JavaScript; the way back is to the newest page (a cursor only points further back).
 */
export function Pagination({
  label,
  newestHref,
  olderHref,
  newestText = "Newest posts",
  olderText = "Older posts",
}: {
  label: string;
  /** Shown on every page but the first. */
  newestHref: string | null;
  olderHref: string | null;
  newestText?: string;
  olderText?: string;
}) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav aria-label={label} className="mt-10 flex items-center justify-between gap-4 border-t border-stone-200 pt-6">
      {newestHref ? (
        <Link href={newestHref} className={buttonClasses({ variant: "ghost" })}>
          <span aria-hidden="true">←</span> {newestText}
        </Link>
      ) : (
        <span />
      )}
      {olderHref ? (
        <Link href={olderHref} rel="next" className={buttonClasses({ variant: "secondary" })}>
          {olderText} <span aria-hidden="true">→</span>
        </Link>
      ) : null}
    </nav>
  );
}

/** `path?cursor=…`, keeping the path's other parameters. */
export function withCursor(path: string, cursor: string): string {
  const [base, query = ""] = path.split("?");
  const params = new URLSearchParams(query);
  params.set("cursor", cursor);
  return `${base}?${params.toString()}`;
}

/** A `?cursor=` search parameter (a single, non-empty string), or null. */
export function cursorParam(value: string | string[] | undefined): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}
