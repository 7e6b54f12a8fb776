import { PageHeaderSkeleton } from "@/components/page-header";
import { PostListSkeleton } from "@/components/post-list-skeleton";

export default function DashboardLoading() {
  return (
    <div>
      <p role="status" className="sr-only">
        Loading your posts…
      </p>
      <PageHeaderSkeleton withAction />
      <div className="mt-8">
        <PostListSkeleton />
      </div>
    </div>
  );
}
