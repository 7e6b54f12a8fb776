import { cn } from "../ui/cn";

/** A link to an RSS feed. A plain <a>: the feed is XML, not a page to navigate to inside the app. */
export function FeedLink({ href, label = "RSS feed", className }: { href: string; label?: string; className?: string }) {
  return (
    <a
      href={href}
      type="application/rss+xml"
      className={cn("inline-flex items-center gap-1.5 rounded-sm text-sm font-medium text-stone-600 hover:text-accent-800 hover:underline hover:underline-offset-4", className)}
    >
      <svg viewBox="0 0 16 16" className="size-3.5 text-orange-600" fill="currentColor" aria-hidden="true">
        <circle cx="3" cy="13" r="2" />
        <path d="M1 6.5a8.5 8.5 0 0 1 8.5 8.5H7.3A6.3 6.3 0 0 0 1 8.7Z" />
        <path d="M1 1.5A13.5 13.5 0 0 1 14.5 15h-2.2A11.3 11.3 0 0 0 1 3.7Z" />
      </svg>
      {label}
    </a>
  );
}
