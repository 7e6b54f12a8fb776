import type { ReactNode } from "react";
import { loadOwnPost } from "../../_lib/load-own-post";

/**
 * Checks access before anything streams, outside this segment's loading boundary, so a post that is not
 * yours gets a real 404 status (and an anonymous visitor a real redirect) rather than a streamed one.
 */
export default async function EditPostLayout({ children, params }: { children: ReactNode; params: Promise<{ postId: string }> }) {
  await loadOwnPost((await params).postId);
  return children;
}
