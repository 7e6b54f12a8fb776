import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";
import { MediaLibrary } from "./_components/media-library";

export const metadata: Metadata = { title: "Images" };

export default async function MediaPage() {
  await getQueryClient().prefetchQuery(trpc.media.list.queryOptions());
  return (
    <>
      <PageHeader title="Images" description="The pictures you uploaded: their size, the posts that use them, and the space they take." />
      <HydrateClient>
        <MediaLibrary />
      </HydrateClient>
    </>
  );
}
