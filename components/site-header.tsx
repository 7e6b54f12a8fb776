import Link from "next/link";
import { getViewer } from "@/server/cache/viewer";
import { Logo } from "./logo";
import { NavLink } from "./nav-link";
import { AuthorAvatar } from "./reading/author-avatar";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";
import { buttonClasses } from "./ui/button";

/** Reading links, for everyone: tags and search (a page with a plain form, so it works without JavaScript). */
function ReadingLinks() {
  return (
    <>
      <NavLink href="/tags">Tags</NavLink>
      <NavLink href="/search">
        <span className="inline-flex items-center gap-1.5">
          <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" className="size-4" aria-hidden="true">
            <circle cx="8.5" cy="8.5" r="5.5" />
            <path d="m13 13 4 4" strokeLinecap="round" />
          </svg>
          Search
        </span>
      </NavLink>
    </>
  );
}

/**
 * The header on every page: the name, navigation, and who is signed in (or how to sign in). On phones it
 * takes two rows (name and account, then the navigation) and scrolls away with the page instead of
 * sticking, so it never covers what is being read or typed; from `sm` up it is one sticky row.
 */
export async function SiteHeader() {
  const session = await getViewer();
  const user = session?.user;
  return (
    <header data-site-header className="top-0 z-30 border-b border-stone-200/80 bg-paper/90 backdrop-blur supports-[backdrop-filter]:bg-paper/75 sm:sticky">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-1.5 sm:gap-x-6 sm:h-16 sm:flex-nowrap sm:px-6 sm:py-0">
        <Logo />
        {user ? (
          <>
            <nav aria-label="Main" className="order-last -ml-2.5 flex w-full items-center gap-1 sm:order-none sm:ml-0 sm:w-auto">
              <NavLink href="/dashboard">Dashboard</NavLink>
              <NavLink href="/editor/new" className="sm:hidden">
                New post
              </NavLink>
              <ReadingLinks />
            </nav>
            <div className="ml-auto flex min-w-0 items-center gap-1 sm:gap-3">
              <span className="hidden sm:inline-flex">
                <Link href="/editor/new" className={buttonClasses({ size: "sm" })}>
                  New post
                </Link>
              </span>
              <Link
                href={`/@${user.username}`}
                className="flex min-w-0 items-center rounded-md px-1 py-1 text-sm font-medium text-stone-700 hover:text-stone-950 sm:max-w-[14rem] sm:px-2"
                title="Your public page"
              >
                <span className="sr-only">Signed in as </span>
                {/* On a phone the initial stands for the name, which stays the link's accessible name. */}
                <AuthorAvatar name={user.name} size="sm" className="sm:hidden" />
                <span className="truncate max-sm:sr-only">{user.name}</span>
              </Link>
              <span className="shrink-0 whitespace-nowrap">
                <SignOutButton />
              </span>
              <ThemeToggle />
            </div>
          </>
        ) : (
          <>
            <nav aria-label="Main" className="order-last -ml-2.5 flex w-full items-center gap-1 sm:order-none sm:ml-0 sm:w-auto">
              <ReadingLinks />
            </nav>
            <nav aria-label="Account" className="ml-auto flex items-center gap-2">
              <NavLink href="/sign-in">Sign in</NavLink>
              <Link href="/sign-up" className={buttonClasses({ size: "sm" })}>
                Sign up
              </Link>
              <ThemeToggle />
            </nav>
          </>
        )}
      </div>
    </header>
  );
}
