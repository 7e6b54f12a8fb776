import { normalizeSlug, postUpdateSchema } from "@/lib/validations/post";
import type { SavedPost } from "@/server/posts/service";

// The editable parts of a post as the editor holds them: plain strings (an empty field is ""), tags as
// their normalised chips. Shared by the draft store, the local copies and the conflict dialog.

export interface PostFields {
  title: string;
  markdown: string;
  slug: string;
  /** The writer's own excerpt ("" uses the computed one). */
  excerpt: string;
  tags: string[];
  coverImageUrl: string;
  /** The cover's description for readers who cannot see it ("" for none). */
  coverImageAlt: string;
  canonicalUrl: string;
}

export type FieldKey = keyof PostFields;

export const fieldKeys: readonly FieldKey[] = ["title", "markdown", "slug", "excerpt", "tags", "coverImageUrl", "coverImageAlt", "canonicalUrl"];

export const emptyFields: PostFields = { title: "", markdown: "", slug: "", excerpt: "", tags: [], coverImageUrl: "", coverImageAlt: "", canonicalUrl: "" };

export function fieldsOf(post: SavedPost): PostFields {
  return {
    title: post.title,
    markdown: post.markdown,
    slug: post.slug,
    excerpt: post.excerptOverride ?? "",
    tags: post.tags,
    coverImageUrl: post.coverImageUrl ?? "",
    coverImageAlt: post.coverImageAlt ?? "",
    canonicalUrl: post.canonicalUrl ?? "",
  };
}

/** A field as the server would store it, for comparing: trimmed text, the slug's URL form, joined tags. */
export function normalizedField(fields: PostFields, key: FieldKey): string {
  switch (key) {
    case "markdown":
      return fields.markdown;
    case "slug":
      return normalizeSlug(fields.slug);
    case "tags":
      return fields.tags.join(",");
    default:
      return fields[key].trim();
  }
}

export function sameField(a: PostFields, b: PostFields, key: FieldKey): boolean {
  return normalizedField(a, key) === normalizedField(b, key);
}

/** The fields in which `draft` differs from `base`. */
export function changedFields(draft: PostFields, base: PostFields): FieldKey[] {
  return fieldKeys.filter((key) => !sameField(draft, base, key));
}

export function sameFields(a: PostFields, b: PostFields): boolean {
  return changedFields(a, b).length === 0;
}

/** The update input for one field, checked with the shared schema (the server's own messages). */
export function checkField(fields: PostFields, key: FieldKey): { ok: true; value: unknown } | { ok: false; message: string } {
  const schema = postUpdateSchema.shape[key];
  const result = schema.safeParse(fields[key]);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? "This value is not valid." };
}

/**
 * A three-way merge for "keep mine": the fields the writer changed (against `base`) keep the writer's
 * value; the others take the server's.
 */
export function mergeFields(mine: PostFields, base: PostFields, theirs: PostFields): PostFields {
  const merged = { ...theirs };
  for (const key of changedFields(mine, base)) {
    (merged as Record<FieldKey, unknown>)[key] = mine[key];
  }
  return merged;
}
