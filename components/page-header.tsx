import type { ReactNode } from "react";

/** A page's title row: the h1, a line of description, and actions on the right. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">{title}</h1>
        {description ? <p className="mt-1.5 text-stone-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-3">{actions}</div> : null}
    </div>
  );
}

/** PageHeader's shape while a page loads. */
export function PageHeaderSkeleton({ withAction = false }: { withAction?: boolean }) {
  return (
    <div aria-hidden="true" className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="space-y-3">
        <div className="h-9 w-48 animate-pulse rounded-md bg-stone-200/70" />
        <div className="h-4 w-72 max-w-full animate-pulse rounded-md bg-stone-200/70" />
      </div>
      {withAction ? <div className="h-11 w-32 animate-pulse rounded-md bg-stone-200/70" /> : null}
    </div>
  );
}
