import Link from "next/link";
import { siteConfig } from "@/config/site";

/** The InkWell word mark, linking home. */
export function Logo() {
  return (
    <Link href="/" className="group inline-flex items-center gap-2 rounded-md text-stone-900">
      <svg viewBox="0 0 24 24" className="size-6 text-accent-700" fill="none" aria-hidden="true">
        <path
          d="M12 3c3 4 6 7.2 6 10.5a6 6 0 1 1-12 0C6 10.2 9 7 12 3Z"
          fill="currentColor"
          fillOpacity="0.14"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
        <path d="M9.5 14.5a2.5 2.5 0 0 0 2.5 2.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <span className="font-serif text-xl font-semibold tracking-tight">{siteConfig.name}</span>
    </Link>
  );
}
