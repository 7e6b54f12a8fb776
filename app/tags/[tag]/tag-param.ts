import { postTagSchema } from "@/lib/validations/post";

/** The tag a `[tag]` segment names, normalised as writers' tags are ("Web%20Dev" → "web-dev"), or null. */
export function normalizeTag(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const parsed = postTagSchema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}
