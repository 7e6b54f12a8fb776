import type { ReactNode } from "react";
import { NavLink } from "@/components/nav-link";
import { dashboardNav } from "@/config/site";

/** The dashboard's frame: a width, and tabs between its pages. Shared by the pages and their loading states. */
export function DashboardShell({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-5xl px-4 py-10 sm:px-6">
      <nav aria-label="Dashboard" className="mb-8 flex gap-1 border-b border-stone-200 pb-3">
        {dashboardNav.map((item) => (
          <NavLink key={item.href} href={item.href}>
            {item.title}
          </NavLink>
        ))}
      </nav>
      {children}
    </div>
  );
}
