"use client";

import { useSyncExternalStore } from "react";
import { THEME_STORAGE_KEY } from "./theme-script";
import { useHydrated } from "./use-hydrated";

// Light or dark: the system's choice unless the reader picked the other one with this toggle (see
// theme-script.ts for how the choice is kept and applied).

const systemDark = () => window.matchMedia("(prefers-color-scheme: dark)");

function isDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  return chosen ? chosen === "dark" : systemDark().matches;
}

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  const media = systemDark();
  media.addEventListener("change", listener);
  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", listener);
  };
}

function choose(dark: boolean) {
  const root = document.documentElement;
  // Choosing what the system shows anyway goes back to following the system.
  const follow = dark === systemDark().matches;
  try {
    if (follow) localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, dark ? "dark" : "light");
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
  if (follow) delete root.dataset.theme;
  else root.dataset.theme = dark ? "dark" : "light";
  for (const listener of listeners) listener();
}

export function ThemeToggle() {
  const hydrated = useHydrated();
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  // Needs JavaScript to work, so it appears only with it.
  if (!hydrated) return null;
  return (
    <button
      type="button"
      aria-pressed={dark}
      title={dark ? "Dark mode is on" : "Dark mode is off"}
      onClick={() => choose(!dark)}
      className="touch:size-11 inline-flex size-9 shrink-0 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/60 hover:text-stone-900"
    >
      <span className="sr-only">Dark mode</span>
      <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {dark ? (
          <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z" />
        ) : (
          <>
            <circle cx="12" cy="12" r="4" />
            <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
          </>
        )}
      </svg>
    </button>
  );
}
