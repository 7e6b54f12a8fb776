import { HeaderNavigation } from "./header-navigation";
import { Logo } from "./logo";
import { NavLink } from "./nav-link";

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
 * The header on every page: the name, navigation, and how to sign in (or, once /api/viewer answers, who
 * is signed in: see HeaderNavigation). On phones it takes two rows (name and account, then the
 * navigation) and scrolls away with the page instead of sticking, so it never covers what is being read
 * or typed; from `sm` up it is one sticky row. It reads nothing of the viewer: pages are cached for all.
 */
export function SiteHeader() {
  return (
    <header data-site-header className="top-0 z-30 border-b border-stone-200/80 bg-paper/90 backdrop-blur supports-[backdrop-filter]:bg-paper/75 sm:sticky">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-1.5 sm:gap-x-6 sm:h-16 sm:flex-nowrap sm:px-6 sm:py-0">
        <Logo />
        <HeaderNavigation readingLinks={<ReadingLinks />} />
      </div>
    </header>
  );
}
