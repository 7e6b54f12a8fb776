import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function PostNotFound() {
  return (
    <div className="mx-auto flex w-full max-w-xl flex-1 flex-col items-center justify-center px-4 py-24 text-center">
      <p className="font-mono text-sm font-medium tracking-widest text-accent-700">404</p>
      <h1 className="mt-3 font-serif text-3xl font-semibold tracking-tight text-stone-900">Post not found</h1>
      <p className="mt-4 text-stone-600">This post does not exist, or it is not yours to edit.</p>
      <Link href="/dashboard" className={buttonClasses({ className: "mt-8" })}>
        Back to your posts
      </Link>
    </div>
  );
}
