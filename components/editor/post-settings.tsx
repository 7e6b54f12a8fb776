"use client";

import { useState } from "react";
import { POST_COVER_ALT_MAX, POST_EXCERPT_MAX, normalizeSlug } from "@/lib/validations/post";
import type { FieldErrors } from "../trpc-errors";
import { cn } from "../ui/cn";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Textarea } from "../ui/textarea";
import type { PostFields } from "./post-fields";
import { CoverUpload } from "./cover-upload";
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
  /** The writer's username, for the address the slug makes. */
  username: string;
  disabled?: boolean;
}

export function PostSettings({ fields, errors, onChange, isNew, wasPublic, username, disabled }: PostSettingsProps) {
  const slugPreview = normalizeSlug(fields.slug);
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
              : "The end of the post’s address. Type anything: it becomes lower-case words joined by hyphens. It follows the title until you change it."
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
            // Shows the address form the server stores, once the writer moves on.
            onBlur={() => {
              if (slugPreview && slugPreview !== fields.slug) onChange({ slug: slugPreview });
            }}
            className="font-mono"
          />
        )}
      </FormField>
      {!isNew && slugPreview && slugPreview !== fields.slug ? (
        <p className="-mt-3 text-sm text-stone-600" aria-live="polite">
          Address: <code className="font-mono text-xs break-all">/@{username}/{slugPreview}</code>
        </p>
      ) : null}

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

      <CoverUpload disabled={disabled} onUploaded={(coverImageUrl) => onChange({ coverImageUrl })} />

      <FormField
        id="post-cover-alt"
        label="Cover image description"
        hint="Alt text: what the image shows, for readers who cannot see it. Also used when the post is shared."
        errors={errors.coverImageAlt}
        aside={
          <span className={cn("text-xs tabular-nums", fields.coverImageAlt.trim().length > POST_COVER_ALT_MAX ? "text-red-700" : "text-stone-500")}>
            {fields.coverImageAlt.trim().length}/{POST_COVER_ALT_MAX}
          </span>
        }
      >
        {(control) => (
          <Textarea
            {...control}
            name="coverImageAlt"
            rows={2}
            disabled={disabled}
            value={fields.coverImageAlt}
            onChange={(event) => onChange({ coverImageAlt: event.target.value })}
            className="resize-y"
          />
        )}
      </FormField>
      <CoverThumbnail url={fields.coverImageUrl} alt={fields.coverImageAlt} invalid={Boolean(errors.coverImageUrl?.[0])} />

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

/** A small preview of the cover, so the writer sees which image the address points to. */
function CoverThumbnail({ url, alt, invalid }: { url: string; alt: string; invalid: boolean }) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const address = url.trim();
  if (!/^https?:\/\//i.test(address) || invalid) return null;
  if (failedUrl === address) {
    return <p className="-mt-3 text-sm text-amber-800">The cover image could not be loaded from this address.</p>;
  }
  return (
    <figure className="-mt-2 space-y-1">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={address}
        alt={alt.trim() ? `Cover preview: ${alt.trim()}` : "Cover preview (no description yet)"}
        className="aspect-[1.91/1] w-40 rounded-md border border-stone-200 bg-stone-100 object-cover"
        referrerPolicy="no-referrer"
        onError={() => setFailedUrl(address)}
      />
    </figure>
  );
}
