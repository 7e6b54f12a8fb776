"use client";

import Link from "next/link";
import { Fragment, useEffect, useState, type ReactNode } from "react";
import type { ViewerAnswer } from "@/app/api/viewer/route";
import { NavLink } from "./nav-link";
import { AuthorAvatar } from "./reading/author-avatar";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";
import { onViewerChange } from "./viewer-events";
import { buttonClasses } from "./ui/button";

type Viewer = NonNullable<ViewerAnswer["user"]>;

/**
 * The header's navigation. Pages are the same for every reader (shared caches keep them), so the server
 * renders it signed out — a plain "Sign in" link that works without JavaScript — and the signed-in parts
 * (Dashboard, New post, the name, Sign out) come from /api/viewer after load. Nothing already on screen
 * moves when they arrive: they replace Sign in and Sign up inside the account area, whose box is fixed
 * (all the room right of the reading links), left of the theme toggle, which keeps its place.
 */
export function HeaderNavigation({ readingLinks }: { readingLinks: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      fetch("/api/viewer", { cache: "no-store", signal: controller.signal })
        .then((response) => (response.ok ? (response.json() as Promise<ViewerAnswer>) : { user: null }))
        .then((answer) => setViewer(answer.user))
        .catch(() => {}); // offline or aborted: the signed-out links still work
    void load();
    const stopListening = onViewerChange(() => void load());
    return () => {
      stopListening();
      controller.abort();
    };
  }, []);

  return (
    <>
      <nav aria-label="Main" className="order-last -ml-2.5 flex w-full items-center gap-1 sm:order-none sm:ml-0 sm:w-auto">
        {readingLinks}
      </nav>
      {/* Spans all the room right of the reading links, so its own box never moves; its links end at the toggle. */}
      <nav aria-label="Account" className="flex min-w-0 flex-1 items-center justify-end gap-1 sm:gap-3">
        {/* Keyed: the signed-in links are new elements, never the Sign in link moved and renamed. */}
        {viewer ? (
          <Fragment key="signed-in">
            <NavLink href="/dashboard">Dashboard</NavLink>
            <span className="hidden sm:inline-flex">
              <Link href="/editor/new" className={buttonClasses({ size: "sm" })}>
                New post
              </Link>
            </span>
            <Link
              href={`/@${viewer.username}`}
              className="flex min-w-0 items-center rounded-md px-1 py-1 text-sm font-medium text-stone-700 hover:text-stone-950 sm:max-w-[14rem] sm:px-2"
              title="Your public page"
            >
              <span className="sr-only">Signed in as </span>
              {/* On a phone the initial stands for the name, which stays the link's accessible name. */}
              <AuthorAvatar name={viewer.name} size="sm" className="sm:hidden" />
              <span className="truncate max-sm:sr-only">{viewer.name}</span>
            </Link>
            <span className="shrink-0 whitespace-nowrap">
              <SignOutButton />
            </span>
          </Fragment>
        ) : (
          <Fragment key="signed-out">
            <NavLink href="/sign-in">Sign in</NavLink>
            <Link href="/sign-up" className={buttonClasses({ size: "sm" })}>
              Sign up
            </Link>
          </Fragment>
        )}
        {/* The toggle appears once hydrated (it shows the browser's choice): its room is kept from the start. */}
        <span className="touch:size-11 inline-flex size-9 shrink-0">
          <ThemeToggle />
        </span>
      </nav>
    </>
  );
}
