import Link from "next/link";
import { siteConfig } from "@/config/site";

export function SiteFooter() {
  return (
    <footer className="mt-auto border-t border-stone-200/80">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-8 text-sm text-stone-500 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>
          <span className="font-serif font-semibold text-stone-700">{siteConfig.name}</span> — {siteConfig.description}
        </p>
        <nav aria-label="Footer">
          <ul className="flex gap-4">
            <li>
              <Link href="/" className="hover:text-stone-800">
                Latest posts
              </Link>
            </li>
            <li>
              <Link href="/dashboard" className="hover:text-stone-800">
                Write
              </Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
