import { Skeleton } from "./ui/skeleton";

/** The dashboard list while it loads: the same card and rows as PostList. */
export function PostListSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <ul aria-hidden="true" className="divide-y divide-stone-200 overflow-hidden rounded-xl border border-stone-200 bg-white shadow-xs">
      {Array.from({ length: rows }, (_, i) => (
        <li key={i} className="flex items-start justify-between gap-6 p-5">
          <div className="flex-1 space-y-2.5">
            <Skeleton className="h-5 w-2/5" />
            <Skeleton className="h-4 w-1/4" />
          </div>
          <div className="flex gap-2">
            <Skeleton className="h-5 w-16 rounded-full" />
            <Skeleton className="h-5 w-20 rounded-full" />
          </div>
        </li>
      ))}
    </ul>
  );
}
