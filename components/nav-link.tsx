"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "./ui/cn";

/** A navigation link that marks itself `aria-current="page"` on its own page (exact match). */
export function NavLink({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  const pathname = usePathname();
  const current = pathname === href;
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cn(
        "touch:py-3 inline-block rounded-md px-2.5 py-1.5 text-sm font-medium text-stone-600 transition-colors hover:bg-stone-200/60 hover:text-stone-900",
        "aria-[current=page]:text-stone-900 aria-[current=page]:bg-stone-200/70",
        className,
      )}
    >
      {children}
    </Link>
  );
}
