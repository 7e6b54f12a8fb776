import { cn } from "../ui/cn";

/** A writer's initial in a circle (decorative: the name is always written next to it). */
export function AuthorAvatar({ name, size = "md", className }: { name: string; size?: "sm" | "md" | "lg"; className?: string }) {
  const initial = name.trim().charAt(0).toUpperCase() || "@";
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex shrink-0 items-center justify-center rounded-full bg-accent-100 font-serif font-semibold text-accent-800 ring-1 ring-accent-200 ring-inset",
        size === "sm" && "size-9 text-base",
        size === "md" && "size-12 text-xl",
        size === "lg" && "size-16 text-2xl sm:size-20 sm:text-3xl",
        className,
      )}
    >
      {initial}
    </span>
  );
}
