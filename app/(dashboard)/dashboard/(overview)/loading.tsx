import { PageHeaderSkeleton } from "@/components/page-header";
import { PostListSkeleton } from "@/components/post-list-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function DashboardLoading() {
  return (
    <div>
      <p role="status" className="sr-only">
        Loading your posts…
      </p>
      <PageHeaderSkeleton withAction />
      <div className="mt-8 space-y-5">
        <div aria-hidden="true" className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <Skeleton className="h-10 w-80 max-w-full rounded-lg" />
          <Skeleton className="h-10 w-full sm:w-72" />
        </div>
        <PostListSkeleton />
      </div>
    </div>
  );
}
