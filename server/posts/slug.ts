import slugify from "@sindresorhus/slugify";

export const SLUG_MAX = 80;

/** A URL-safe slug for a title: lower-case ASCII words joined by hyphens, never empty. */
export function slugForTitle(title: string): string {
  const slug = slugify(title, { decamelize: false }).slice(0, SLUG_MAX).replace(/-+$/, "");
  return slug || "post";
}

/** The first of `base`, `base-2`, `base-3`, … not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Whether `slug` is what firstFreeSlug would make from `title` (so the writer has not chosen it). */
export function isGeneratedSlug(slug: string, title: string): boolean {
  const base = slugForTitle(title);
  if (slug === base) return true;
  const cut = slug.lastIndexOf("-");
  const prefix = slug.slice(0, cut);
  const suffix = slug.slice(cut); // "-2"
  if (cut < 0 || !/^-\d+$/.test(suffix)) return false;
  // firstFreeSlug shortens long bases to fit the suffix within SLUG_MAX.
  return prefix === base || prefix === base.slice(0, SLUG_MAX - suffix.length);
}
