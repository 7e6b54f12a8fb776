"use client";

import { useState } from "react";
import { Button, type ButtonProps } from "./ui/button";

/**
 * Copies an address to the clipboard and says so (in a polite live region, so screen readers hear it
 * too). Where the browser refuses, it says that instead and leaves the address to be copied by hand.
 */
export function CopyLinkButton({ url, label = "Copy link", variant = "secondary", size = "sm", className }: { url: string; label?: string } & Pick<ButtonProps, "variant" | "size" | "className">) {
  const [message, setMessage] = useState("");
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setMessage("Link copied.");
    } catch {
      setMessage(`Your browser did not allow copying. The link is ${url}`);
    }
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
      <Button variant={variant} size={size} className={className} onClick={() => void copy()}>
        <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
          <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
        </svg>
        {label}
      </Button>
      <span role="status" className="text-sm text-stone-600 empty:hidden">
        {message}
      </span>
    </span>
  );
}
