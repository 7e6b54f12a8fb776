import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireSession } from "@/app/_lib/require-session";
import type { OwnPost } from "@/trpc/types";
import { api } from "@/trpc/server";

/**
 * The signed-in writer's own post, or the 404 page: another writer's post, a deleted one and a malformed
 * id all look the same (the server filters by id *and* author). Cached per request, so the layout, the
 * metadata and the page share one query.
 */
export const loadOwnPost = cache(async (postId: string): Promise<{ post: OwnPost; username: string }> => {
  const session = await requireSession(`/editor/${encodeURIComponent(postId)}`);
  try {
    const post = await (await api()).posts.byId({ id: postId });
    return { post, username: session.user.username };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
});
