import type { Metadata } from "next";
import { Editor } from "@/components/editor";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";
import { loadOwnPost } from "../../_lib/load-own-post";

type Props = { params: Promise<{ postId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { post } = await loadOwnPost((await params).postId);
  return { title: `Editing “${post.title || "Untitled"}”` };
}

export default async function EditPostPage({ params }: Props) {
  const { post, username } = await loadOwnPost((await params).postId);
  // Seed the client's cache, so the live status starts from what the server just read.
  getQueryClient().setQueryData(trpc.posts.byId.queryKey({ id: post.id }), post);
  return (
    <HydrateClient>
      <Editor initialPost={post} username={username} />
    </HydrateClient>
  );
}
