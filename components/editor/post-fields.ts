import { normalizeSlug, postUpdateSchema, type PostUpdateInput } from "@/lib/validations/post";
import type { SavedPost } from "@/trpc/types";

// The editable parts of a post as the editor holds them: plain strings (an empty field is ""), tags as
// their normalised chips. Shared by the draft store, the local copies and the conflict dialog. The
// fields are the update input's (lib/validations/post.ts): a field added there appears here, and
// TypeScript points at fieldsOf and emptyFields until they carry it.

/** What the writer can edit: every input of posts.update but the post's id and version. */
export type FieldKey = Exclude<keyof PostUpdateInput, "id" | "version">;

/**
 * A post's editable fields as the editor holds them: `tags` as chips, every other field as its text
 * ("" for none; `excerpt` is the writer's own excerpt, "" using the computed one).
 */
export type PostFields = { [K in FieldKey]: K extends "tags" ? string[] : string };

export const fieldKeys = Object.keys(postUpdateSchema.shape).filter((key): key is FieldKey => key !== "id" && key !== "version");

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
