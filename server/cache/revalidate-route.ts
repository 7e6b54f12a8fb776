import "server-only";
import { revalidateTag } from "next/cache";
import { z } from "zod";
import { REVALIDATE_TOKEN_HEADER, isOwnRevalidationRequest } from "./invalidation";

// The Route Handler side of server/cache/invalidation.ts: `revalidateTag` only works inside a request,
// so this process's Redis listener calls its own route with the tags to drop.

const bodySchema = z.object({
  // Only the reading cache's own tags (server/cache/tags.ts).
  tags: z.array(z.string().max(256).regex(/^public(:|$)/)).min(1).max(100),
});

export async function handleRevalidation(request: Request): Promise<Response> {
  // Anyone else (another process, a visitor) finds nothing here.
  if (!isOwnRevalidationRequest(request.headers.get(REVALIDATE_TOKEN_HEADER))) return new Response("Not found", { status: 404 });
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return new Response("Bad request", { status: 400 });
  // `expire: 0`: the next read waits for fresh data instead of being served the old value once more
  // (an unpublished post must not be shown again).
  for (const tag of parsed.data.tags) revalidateTag(tag, { expire: 0 });
  return new Response(null, { status: 204 });
}
