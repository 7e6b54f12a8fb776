import Link from "next/link";
import { SearchForm } from "@/components/reading/search-form";
import { buttonClasses } from "@/components/ui/button";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="mx-auto flex w-full max-w-xl flex-1 flex-col items-center justify-center px-4 py-24 text-center">
      <p className="font-mono text-sm font-medium tracking-widest text-accent-700">404</p>
      <h1 className="mt-3 font-serif text-3xl font-semibold tracking-tight text-stone-900 sm:text-4xl">Page not found</h1>
      <p className="mt-4 text-stone-600">
        There is nothing here. The post may be a draft, it may have moved, or the address may be mistyped.
      </p>
      <SearchForm className="mt-8 w-full max-w-md" />
      <div className="mt-6 flex gap-3">
        <Link href="/" className={buttonClasses({ variant: "secondary" })}>
          Go to the home page
        </Link>
        <Link href="/dashboard" className={buttonClasses({ variant: "ghost" })}>
          Your posts
        </Link>
      </div>
    </div>
  );
}
