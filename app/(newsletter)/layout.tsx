import type { ReactNode } from "react";

/** The reader's subscription pages (subscribe, confirm, unsubscribe, manage): one narrow column. */
export default function NewsletterLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-1 items-start justify-center px-4 py-12 sm:py-20">
      <div className="w-full max-w-md">{children}</div>
    </div>
  );
}
