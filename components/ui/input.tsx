import type { ComponentProps } from "react";
import { cn } from "./cn";

export const controlClasses =
  "block w-full rounded-md border border-stone-300 bg-white px-3 text-stone-900 shadow-xs placeholder:text-stone-400 " +
  "focus-visible:border-accent-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent-600/40 " +
  "aria-invalid:border-red-500 aria-invalid:focus-visible:outline-red-500/40 disabled:bg-stone-100 disabled:text-stone-500";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(controlClasses, "h-10 text-base sm:text-sm", className)} {...props} />;
}
