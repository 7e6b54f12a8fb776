/** Active subscribers per day over the last 30 days: a small bar chart, with its numbers for screen readers. */
export function GrowthChart({ growth, className }: { growth: { day: string; subscribers: number }[]; className?: string }) {
  const max = Math.max(1, ...growth.map((g) => g.subscribers));
  const first = growth[0];
  const last = growth.at(-1);
  const summary = first && last ? `Active subscribers went from ${first.subscribers} on ${first.day} to ${last.subscribers} on ${last.day}.` : "";
  return (
    <figure className={className}>
      <svg viewBox={`0 0 ${growth.length * 10} 60`} className="h-24 w-full max-w-xl" role="img" aria-label={`Growth over ${growth.length} days. ${summary}`} preserveAspectRatio="none">
        {growth.map((g, i) => {
          const height = (g.subscribers / max) * 56;
          return <rect key={g.day} x={i * 10 + 1} y={60 - height} width={8} height={height} className="fill-accent-600" />;
        })}
      </svg>
      <figcaption className="mt-1 text-sm text-stone-600">{summary}</figcaption>
    </figure>
  );
}
