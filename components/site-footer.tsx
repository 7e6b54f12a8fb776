import Link from "next/link";
import { siteConfig } from "@/config/site";
import { FeedLink } from "./reading/feed-link";

const links = [
  { title: "Latest posts", href: "/" },
  { title: "Tags", href: "/tags" },
  { title: "Search", href: "/search" },
  { title: "Write", href: "/dashboard" },
];

export function SiteFooter() {
  return (
    <footer className="mt-auto border-t border-stone-200/80">
      <div className="mx-auto flex max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-stone-600 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>
          <span className="font-serif font-semibold text-stone-800">{siteConfig.name}</span> — {siteConfig.description}
        </p>
        <nav aria-label="Footer">
          <ul className="flex flex-wrap items-center gap-x-5 gap-y-2">
            {links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} className="hover:text-stone-900 hover:underline hover:underline-offset-4">
                  {link.title}
                </Link>
              </li>
            ))}
            <li>
              <FeedLink href="/feed.xml" label="RSS" />
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
