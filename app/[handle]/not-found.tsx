import Link from "next/link";
import { SearchForm } from "@/components/reading/search-form";
import { buttonClasses } from "@/components/ui/button";

export default function PublicNotFound() {
  return (
    <div className="mx-auto flex w-full max-w-xl flex-1 flex-col items-center justify-center px-4 py-24 text-center">
      <p className="font-mono text-sm font-medium tracking-widest text-accent-700">404</p>
      <h1 className="mt-3 font-serif text-3xl font-semibold tracking-tight text-stone-900">Page not found</h1>
      <p className="mt-4 text-stone-600">No published post or writer lives at this address.</p>
      <SearchForm className="mt-8 w-full max-w-md" />
      <Link href="/" className={buttonClasses({ variant: "secondary", className: "mt-6" })}>
        Read the latest posts
      </Link>
    </div>
  );
}
