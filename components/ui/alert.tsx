import type { ReactNode } from "react";
import { cn } from "./cn";

type Tone = "error" | "success" | "info" | "warning";

const tones: Record<Tone, string> = {
  error: "border-red-200 bg-red-50 text-red-800",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
};

export interface AlertProps {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** Errors interrupt (role="alert"); confirmations are polite (role="status"). */
  role?: "alert" | "status" | "none";
  id?: string;
}

export function Alert({ tone = "info", title, children, className, role, id }: AlertProps) {
  const resolvedRole = role ?? (tone === "error" ? "alert" : "status");
  return (
    <div
      id={id}
      role={resolvedRole === "none" ? undefined : resolvedRole}
      className={cn("rounded-md border px-4 py-3 text-sm", tones[tone], className)}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={cn(title ? "mt-1" : undefined)}>{children}</div> : null}
    </div>
  );
}
