// Dates render the same on the server and in the browser (fixed locale and time zone), so hydration
// never disagrees about the text.

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function formatDate(date: Date | string): string {
  return dateFormat.format(typeof date === "string" ? new Date(date) : date);
}

export function FormattedDate({ date, className }: { date: Date | string; className?: string }) {
  const value = typeof date === "string" ? new Date(date) : date;
  return (
    <time dateTime={value.toISOString()} className={className}>
      {dateFormat.format(value)}
    </time>
  );
}
