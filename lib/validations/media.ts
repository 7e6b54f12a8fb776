import { z } from "zod";

// Shared by the editor, the media library and the media router.

export const IMAGE_ALT_MAX = 300;
export const REMOTE_URL_MAX = 2048;

export const imageIdSchema = z.uuid("Unknown image.");

export const imageByIdSchema = z.object({ id: imageIdSchema });

/** `force` confirms deleting an image that drafts still use (a live post's image is never deleted). */
export const imageDeleteSchema = z.object({ id: imageIdSchema, force: z.boolean().default(false) });

export const imageCopyRemoteSchema = z.object({
  url: z
    .string()
    .trim()
    .max(REMOTE_URL_MAX, `The address is too long (at most ${REMOTE_URL_MAX} characters).`)
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), "Give an address starting with http:// or https://."),
});

/** The editor's alt-text prompt: empty only when the writer marks the image decorative. */
export const imageAltSchema = z
  .object({
    alt: z.string().trim().max(IMAGE_ALT_MAX, `Alt text must be at most ${IMAGE_ALT_MAX} characters.`),
    decorative: z.boolean(),
  })
  .refine((v) => v.decorative || v.alt.length > 0, { message: "Describe the image for readers who cannot see it, or mark it as decorative.", path: ["alt"] });
