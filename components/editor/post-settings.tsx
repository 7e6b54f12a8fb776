"use client";

import { POST_EXCERPT_MAX } from "@/lib/validations/post";
import type { FieldErrors } from "../trpc-errors";
import { cn } from "../ui/cn";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Textarea } from "../ui/textarea";
import type { PostFields } from "./post-fields";
import { TagsField } from "./tags-field";

// The post's settings beside the editor: its address, excerpt, tags, cover image and canonical URL.
// They are saved with the text (autosave), checked with the same schema as the server, and their
// errors are shown next to them.

export interface PostSettingsProps {
  fields: PostFields;
  errors: FieldErrors;
  onChange(patch: Partial<PostFields>): void;
  /** A post never saved has no address yet. */
  isNew: boolean;
  /** Readers know the post at its address: changing it keeps the old one working (a redirect). */
  wasPublic: boolean;
  disabled?: boolean;
}

export function PostSettings({ fields, errors, onChange, isNew, wasPublic, disabled }: PostSettingsProps) {
  return (
    <div className="space-y-5">
      <FormField
        id="post-slug"
        label="Slug"
        hint={
          isNew
            ? "The end of the post’s address, made from the title when it is first saved."
            : wasPublic
              ? "The end of the post’s address. Changing it keeps the old address working: readers are sent on."
              : "The end of the post’s address: lower-case letters, digits and hyphens. It follows the title until you change it."
        }
        errors={errors.slug}
      >
        {(control) => (
          <Input
            {...control}
            name="slug"
            autoComplete="off"
            spellCheck={false}
            disabled={disabled || isNew}
            placeholder={isNew ? "from the title" : undefined}
            value={fields.slug}
            onChange={(event) => onChange({ slug: event.target.value })}
            className="font-mono"
          />
        )}
      </FormField>

      <FormField
        id="post-excerpt"
        label="Excerpt"
        hint="Shown in lists and link previews. Leave empty to use the opening lines."
        errors={errors.excerpt}
        aside={
          <span className={cn("text-xs tabular-nums", fields.excerpt.trim().length > POST_EXCERPT_MAX ? "text-red-700" : "text-stone-500")}>
            {fields.excerpt.trim().length}/{POST_EXCERPT_MAX}
          </span>
        }
      >
        {(control) => (
          <Textarea
            {...control}
            name="excerpt"
            rows={3}
            disabled={disabled}
            value={fields.excerpt}
            onChange={(event) => onChange({ excerpt: event.target.value })}
            className="resize-y"
          />
        )}
      </FormField>

      <TagsField id="post-tags" tags={fields.tags} onChange={(tags) => onChange({ tags })} errors={errors.tags} disabled={disabled} />

      <FormField id="post-cover" label="Cover image URL" hint="An https:// address of an image shown above the post." errors={errors.coverImageUrl}>
        {(control) => (
          <Input
            {...control}
            name="coverImageUrl"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://…"
            disabled={disabled}
            value={fields.coverImageUrl}
            onChange={(event) => onChange({ coverImageUrl: event.target.value })}
          />
        )}
      </FormField>

      <FormField id="post-canonical" label="Canonical URL" hint="Where this post first appeared, if elsewhere." errors={errors.canonicalUrl}>
        {(control) => (
          <Input
            {...control}
            name="canonicalUrl"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://…"
            disabled={disabled}
            value={fields.canonicalUrl}
            onChange={(event) => onChange({ canonicalUrl: event.target.value })}
          />
        )}
      </FormField>
    </div>
  );
}
