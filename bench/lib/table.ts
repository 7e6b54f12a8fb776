import { round } from "./stats";
import type { Results, Row } from "./results";

// The results as a fixed-width console table and as a Markdown table (for the README).

const HEADERS = ["benchmark", "value", "baseline", "unit", "better", "ratio"] as const;

/** Ratios below 1 keep 2 significant digits (0.018x, not 0.02x), so small ones stay comparable. */
function ratioText(ratio: number): string {
  return `${ratio > 0 && ratio < 1 ? Number(ratio.toPrecision(2)) : round(ratio)}x`;
}

function cells(row: Row): string[] {
  return [row.name, String(round(row.value)), String(round(row.baseline)), row.unit, row.better, ratioText(row.ratio)];
}

export function consoleTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const numeric = new Set([1, 2, 5]);
  const line = (r: readonly string[]) =>
    r.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [line(HEADERS), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function markdownTable(rows: readonly Row[]): string {
  const out = [`| ${HEADERS.join(" | ")} |`, "| --- | ---: | ---: | --- | --- | ---: |"];
  for (const row of rows) out.push(`| ${cells(row).map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`);
  return out.join("\n");
}

export function markdownReport(results: Results): string {
  const m = results.machine;
  const lines = [
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memGB} GB, Node ${m.node}, ${m.platform}, ${m.date}.`,
    "Ratio = how many times better than the baseline (value/baseline when higher is better, baseline/value when lower is better); both measured in the same run.",
    "",
    markdownTable(results.rows),
  ];
  const separately = Object.entries(results.measured ?? {}).filter(([, machine]) => machine.date !== m.date);
  if (separately.length > 0) {
    lines.push("", `Measured in separate runs (the rest as above): ${separately.map(([name, s]) => `${name} on ${s.cpus} × ${s.cpuModel}, Node ${s.node}, ${s.date}`).join("; ")}.`);
  }
  if (results.notes.length > 0) lines.push("", "Notes:", "", ...results.notes.map((n) => `- ${n}`));
  return `${lines.join("\n")}\n`;
}
