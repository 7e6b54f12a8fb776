"use client";

import { useHydrated } from "../use-hydrated";

// A moment in the writer's own time zone. The server does not know it, so the server's rendering (and
// hydration) shows UTC, and the browser then shows local time.

const utcFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function writerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

// The same wording as the server's rendering ("Dec 7, 2026, 2:05 PM"), only in the writer's time zone:
// every date on the dashboard and in the editor reads alike.
const localFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatLocalDateTime(date: Date): string {
  return localFormat.format(date);
}

/** `yyyy-mm-ddThh:mm` in local time, for <input type="datetime-local">. */
export function toDateTimeLocalValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function LocalDateTime({ date, withZone = false, className }: { date: Date | string; withZone?: boolean; className?: string }) {
  const hydrated = useHydrated();
  const value = typeof date === "string" ? new Date(date) : date;
  return (
    <time dateTime={value.toISOString()} className={className}>
      {hydrated ? formatLocalDateTime(value) : `${utcFormat.format(value)} UTC`}
      {hydrated && withZone ? ` (${writerTimeZone()})` : null}
    </time>
  );
}
