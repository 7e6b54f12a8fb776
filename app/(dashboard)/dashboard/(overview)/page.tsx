import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/app/_lib/require-session";
import { PageHeader } from "@/components/page-header";
import { PostList } from "@/components/post-list";
import { parsePostListParams, postListInput } from "@/components/post-queries";
import { buttonClasses } from "@/components/ui/button";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Your posts" };

type Props = { searchParams: Promise<{ filter?: string | string[]; q?: string | string[] }> };

export default async function DashboardPage({ searchParams }: Props) {
  const session = await requireSession("/dashboard");
  const { filter, query } = parsePostListParams(await searchParams);
  await getQueryClient().prefetchInfiniteQuery(
    trpc.posts.list.infiniteQueryOptions(postListInput({ filter, query }), { getNextPageParam: (page) => page.nextCursor }),
  );

  return (
    <>
      <PageHeader
        title="Your posts"
        description="Drafts, scheduled and published posts, most recently edited first."
        actions={
          <Link href="/editor/new" className={buttonClasses({ size: "lg" })}>
            <span aria-hidden="true" className="text-lg leading-none">
              +
            </span>
            New post
          </Link>
        }
      />
      <div className="mt-8">
        <HydrateClient>
          <PostList username={session.user.username} initialFilter={filter} initialQuery={query} />
        </HydrateClient>
      </div>
    </>
  );
}
