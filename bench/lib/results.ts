import { cpus, totalmem } from "node:os";

// One benchmark row: a value and the baseline it is compared with, both measured in the same run.

export type Better = "higher" | "lower";

export interface Row {
  name: string;
  value: number;
  baseline: number;
  /**
   * How many times better than the baseline the value is: value/baseline when higher is better,
   * baseline/value when lower is better. Above 1 the value beats its baseline, below 1 it trails it.
   */
  ratio: number;
  unit: string;
  better: Better;
  /** The scenario that measured it (run.ts tags each row; rows written before that have none). */
  scenario?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memGB: number;
  node: string;
  platform: string;
  date: string;
}

export interface Results {
  machine: Machine;
  rows: Row[];
  /** What was skipped or needs attention (same strings as in latest.md), each starting "<scenario>: ". */
  notes: string[];
  /**
   * Where and when each scenario's rows were measured: a run of some scenarios replaces only theirs.
   * `machine` is then that of the rows no entry here names.
   */
  measured?: Record<string, Machine>;
}

/** Numbers as stored: enough precision to recompute, not float noise. */
function keep(v: number): number {
  if (!Number.isFinite(v)) return v;
  return Number(v.toPrecision(4));
}

export function makeRow(name: string, value: number, baseline: number, unit: string, better: Better): Row {
  const ratio = better === "higher" ? value / baseline : baseline / value;
  return { name, value: keep(value), baseline: keep(baseline), ratio: keep(ratio), unit, better };
}

export function machineInfo(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** What a scenario hands back: its rows and anything the reader must know. */
export interface ScenarioResult {
  rows: Row[];
  notes: string[];
}
