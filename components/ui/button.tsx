import type { ComponentProps } from "react";
import { cn } from "./cn";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger" | "link";
export type ButtonSize = "sm" | "md" | "lg";

const base =
  "inline-flex items-center justify-center gap-2 rounded-md font-medium transition-colors select-none " +
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 " +
  "disabled:cursor-not-allowed disabled:opacity-55";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-accent-700 text-white shadow-sm hover:bg-accent-800 disabled:hover:bg-accent-700",
  secondary:
    "border border-stone-300 bg-white text-stone-800 shadow-sm hover:bg-stone-50 hover:border-stone-400 disabled:hover:bg-white",
  ghost: "text-stone-700 hover:bg-stone-200/60 hover:text-stone-900",
  danger: "border border-red-200 bg-white text-red-700 shadow-sm hover:bg-red-50 hover:border-red-300",
  link: "text-accent-700 underline-offset-4 hover:underline px-0",
};

// On touch screens and phones every button is at least 44 px tall (the `touch` variant, globals.css).
const sizes: Record<ButtonSize, string> = {
  sm: "h-8 px-3 text-sm touch:h-11",
  md: "h-10 px-4 text-sm touch:h-11",
  lg: "h-11 px-5 text-base",
};

/** The button look, for links that act as buttons: `<Link className={buttonClasses({ variant: "primary" })}>`. */
export function buttonClasses({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cn(base, variants[variant], variant === "link" ? "h-auto text-sm" : sizes[size], className);
}

export interface ButtonProps extends ComponentProps<"button"> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner, disables the button and marks it busy; the label stays, so its name does not change. */
  pending?: boolean;
}

export function Button({ variant, size, pending = false, disabled, className, children, type = "button", ...props }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={buttonClasses({ variant, size, className })}
      {...props}
    >
      {pending ? <Spinner /> : null}
      {children}
    </button>
  );
}
