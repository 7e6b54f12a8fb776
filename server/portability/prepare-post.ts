import { z } from "zod";
import { normalizeSlug, POST_EXCERPT_MAX, POST_MARKDOWN_MAX, POST_TAGS_MAX, POST_TITLE_MAX, postTagSchema } from "@/lib/validations/post";
import { withoutUnsafeCharacters } from "@/lib/validations/text";
import type { ImportedPostFields } from "../posts/import-post";
import { htmlToMarkdown } from "./html-to-markdown";
import type { SourcePost } from "./source-post";

// One source post as the fields of an InkWell post, checked with the same rules as the editor's
// (lib/validations/post). What a writer could not have typed is tidied, never refused: control
// characters removed, a missing title named "Untitled", tags beyond five left out; only a body over
// the length limit keeps a post out, and the summary says so.

export type PreparedPost =
  | { ok: true; fields: ImportedPostFields; droppedEmbeds: number }
  | { ok: false; reason: string };

const webUrl = z.url({ protocol: /^https?$/ }).max(2048);
const url = (value: string | null) => (value && webUrl.safeParse(value).success ? value : null);

function tags(names: string[]): string[] {
  const normalised = names.flatMap((name) => {
    const parsed = postTagSchema.safeParse(name);
    return parsed.success ? [parsed.data] : [];
  });
  return [...new Set(normalised)].slice(0, POST_TAGS_MAX);
}

export function preparePost(post: SourcePost, now = new Date()): PreparedPost {
  const title = withoutUnsafeCharacters(post.title).trim().slice(0, POST_TITLE_MAX).trim() || "Untitled";
  const converted = "html" in post.body ? htmlToMarkdown(post.body.html) : { markdown: post.body.markdown, droppedEmbeds: 0 };
  const markdown = withoutUnsafeCharacters(converted.markdown);
  if (markdown.length > POST_MARKDOWN_MAX) {
    return { ok: false, reason: `"${title}" is longer than ${POST_MARKDOWN_MAX.toLocaleString("en")} characters of Markdown, the longest post InkWell keeps.` };
  }
  const excerpt = post.excerpt ? withoutUnsafeCharacters(post.excerpt).trim().slice(0, POST_EXCERPT_MAX) || null : null;
  // A scheduled post whose time has passed (the export sat a while) is published with that date.
  const status = post.status === "scheduled" && (!post.publishedAt || post.publishedAt <= now) ? "published" : post.status;
  const publishedAt = status === "draft" ? null : (post.publishedAt ?? post.createdAt ?? now);
  return {
    ok: true,
    droppedEmbeds: converted.droppedEmbeds,
    fields: {
      title,
      preferredSlug: normalizeSlug(post.slug ?? "") || null,
      markdown,
      tags: tags(post.tags),
      coverImageUrl: url(post.coverImageUrl),
      canonicalUrl: url(post.canonicalUrl),
      excerptOverride: excerpt,
      visibility: status,
      publishedAt: status === "published" ? publishedAt : null,
      scheduledAt: status === "scheduled" ? publishedAt : null,
      createdAt: post.createdAt ?? publishedAt ?? now,
      updatedAt: post.updatedAt ?? post.createdAt ?? publishedAt ?? now,
    },
  };
}
