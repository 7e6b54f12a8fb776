import type { ReactNode } from "react";

/** The sign-in and sign-up pages: one narrow column, centred. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-1 items-start justify-center px-4 py-12 sm:items-center sm:py-20">
      <div className="w-full max-w-md">{children}</div>
    </div>
  );
}
