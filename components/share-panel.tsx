"use client";

import { CopyLinkButton } from "./copy-link-button";
import { useHydrated } from "./use-hydrated";

export interface SharePanelProps {
  /** The post's public path, `/@username/slug`. */
  path: string;
  title: string;
  /** The excerpt readers' apps show under the title (the writer's own, or the computed one). */
  excerpt: string | null;
  coverImageUrl: string | null;
  /** The cover's description, once posts have one; decorative (empty) otherwise. */
  coverAlt?: string;
  /** Id for the panel's heading (more than one panel can be on a page). */
  headingId?: string;
}

/**
 * After publishing: the post's address to copy, and the card that social apps and messengers show for
 * the link (title, excerpt, cover, site), drawn from the same fields as the page's Open Graph tags.
 * Stands alone so any publishing screen (the editor's side panel, a review sheet) can show it.
 */
export function SharePanel({ path, title, excerpt, coverImageUrl, coverAlt = "", headingId = "share-heading" }: SharePanelProps) {
  // The address the reader's browser is on (the server's own idea of its host may differ behind a proxy).
  const hydrated = useHydrated();
  const url = hydrated ? new URL(path, window.location.origin).toString() : path;
  const host = hydrated ? window.location.host : "";
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <h3 id={headingId} className="text-sm font-semibold text-stone-900">
        Share your post
      </h3>
      <div className="space-y-2">
        <label htmlFor={`${headingId}-url`} className="block text-xs font-medium text-stone-600">
          Link
        </label>
        <input
          id={`${headingId}-url`}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="w-full rounded-md border border-stone-300 bg-stone-50 px-2.5 py-1.5 font-mono text-xs text-stone-800"
        />
        <CopyLinkButton url={url} />
      </div>
      <figure className="overflow-hidden rounded-lg border border-stone-200 bg-white">
        {coverImageUrl ? (
          // A writer's image on any host (next/image would need every host configured).
          // eslint-disable-next-line @next/next/no-img-element
          <img src={coverImageUrl} alt={coverAlt} className="aspect-[1.91/1] w-full bg-stone-100 object-cover" referrerPolicy="no-referrer" />
        ) : null}
        <figcaption className="space-y-1 px-3 py-2.5">
          <span className="block text-xs text-stone-500 uppercase">{host}</span>
          <span className="block leading-snug font-semibold text-stone-900">{title || "Untitled"}</span>
          {excerpt ? <span className="line-clamp-2 block text-sm text-stone-600">{excerpt}</span> : null}
        </figcaption>
      </figure>
      <p className="text-xs text-stone-500">How the link looks when shared.</p>
    </section>
  );
}
