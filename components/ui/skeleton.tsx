import { cn } from "./cn";

/** A placeholder block for loading states; hidden from assistive technology (the page says it is loading). */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-stone-200/70", className)} />;
}
