"use client";

import type { PostListFilter } from "../post-queries";
import { cn } from "../ui/cn";
import { controlClasses } from "../ui/input";

// The dashboard's filters: one status at a time (or all), and a search in titles.

export const filterOptions: ReadonlyArray<{ value: PostListFilter | null; label: string }> = [
  { value: null, label: "All" },
  { value: "draft", label: "Drafts" },
  { value: "scheduled", label: "Scheduled" },
  { value: "published", label: "Published" },
  { value: "failed", label: "Failed" },
];

export interface PostFiltersProps {
  filter: PostListFilter | null;
  onFilterChange(filter: PostListFilter | null): void;
  search: string;
  onSearchChange(search: string): void;
}

export function PostFilters({ filter, onFilterChange, search, onSearchChange }: PostFiltersProps) {
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
      {/* Wraps rather than scrolls: on a phone every filter stays in sight. */}
      <div role="group" aria-label="Show posts" className="flex max-w-full flex-wrap gap-1 self-start rounded-lg bg-stone-200/60 p-1">
        {filterOptions.map((option) => {
          const active = option.value === filter;
          return (
            <button
              key={option.label}
              type="button"
              aria-pressed={active}
              onClick={() => onFilterChange(option.value)}
              className={cn(
                "touch:min-h-11 shrink-0 rounded-md px-3 py-1.5 text-sm font-medium transition-colors",
                active ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-200" : "text-stone-600 hover:bg-white/60 hover:text-stone-900",
              )}
            >
              {option.label}
            </button>
          );
        })}
      </div>
      <div className="relative sm:w-72">
        <label htmlFor="post-search" className="sr-only">
          Search by title
        </label>
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-stone-400"
        >
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </svg>
        <input
          id="post-search"
          type="search"
          autoComplete="off"
          placeholder="Search by title"
          value={search}
          maxLength={200}
          onChange={(event) => onSearchChange(event.target.value)}
          className={cn(controlClasses, "h-10 pl-9 text-base sm:text-sm")}
        />
      </div>
    </div>
  );
}
