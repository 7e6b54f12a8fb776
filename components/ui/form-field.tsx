import type { ReactNode } from "react";
import { cn } from "./cn";
import { Label } from "./label";

/** What a control needs to be tied to its label, hint and error. */
export interface FieldControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

export interface FormFieldProps {
  id: string;
  label: ReactNode;
  /** Help shown under the label, always read with the control. */
  hint?: ReactNode;
  /** Messages for this field; the first is shown. */
  errors?: readonly string[] | undefined;
  className?: string;
  /** Extra content on the label's line (e.g. a character count). */
  aside?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled field: a visible <label>, an optional hint, and the error next to the control, joined to it
 * with aria-describedby and aria-invalid so assistive technology reads them together.
 */
export function FormField({ id, label, hint, errors, className, aside, children }: FormFieldProps) {
  const error = errors?.[0];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex items-baseline justify-between gap-4">
        <Label htmlFor={id}>{label}</Label>
        {aside}
      </div>
      {hint ? (
        <p id={hintId} className="text-sm text-stone-500">
          {hint}
        </p>
      ) : null}
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** A field's error message, joined to its control by `id` (the control's aria-describedby names it). */
export function FieldError({ id, message }: { id: string | undefined; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="flex items-start gap-1.5 text-sm font-medium text-red-700">
      <span aria-hidden="true">⚠</span>
      {message}
    </p>
  );
}
