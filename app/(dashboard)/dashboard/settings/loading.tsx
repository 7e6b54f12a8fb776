import { PageHeaderSkeleton } from "@/components/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function SettingsLoading() {
  return (
    <div>
      <p role="status" className="sr-only">
        Loading your profile…
      </p>
      <PageHeaderSkeleton />
      <div className="mt-8 max-w-2xl space-y-6 rounded-xl border border-stone-200 bg-white p-6">
        <Skeleton className="h-4 w-28" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-4 w-16" />
        <Skeleton className="h-32 w-full" />
        <Skeleton className="h-10 w-32" />
      </div>
    </div>
  );
}
