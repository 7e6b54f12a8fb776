import type { ReactNode } from "react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "info" | "progress" | "success" | "danger" | "accent" | "warning";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-stone-100 text-stone-700 ring-stone-300",
  info: "bg-sky-50 text-sky-800 ring-sky-200",
  progress: "bg-amber-50 text-amber-900 ring-amber-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  danger: "bg-red-50 text-red-800 ring-red-200",
  accent: "bg-accent-50 text-accent-800 ring-accent-200",
};

export interface BadgeProps {
  tone?: BadgeTone;
  /** A decorative mark before the text; the text alone carries the meaning. */
  icon?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Badge({ tone = "neutral", icon, className, children }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone],
        className,
      )}
    >
      {icon ? <span aria-hidden="true">{icon}</span> : null}
      {children}
    </span>
  );
}
