import { nowMs } from "./stats";

// Operations per second of synchronous functions on a fixed set of inputs, measured in alternating
// rounds so that slow drift on a shared machine (other processes, CPU boost, GC) hits both sides alike.

export interface RateResult {
  perSecond: number;
  operations: number;
  ms: number;
}

function runFor(fn: (input: string) => unknown, inputs: readonly string[], ms: number, start: number): { ops: number; ms: number; next: number } {
  const t0 = nowMs();
  let ops = 0;
  let i = start;
  while (nowMs() - t0 < ms) {
    fn(inputs[i % inputs.length]!);
    i++;
    ops++;
  }
  return { ops, ms: nowMs() - t0, next: i };
}

/** Warms both up, then alternates `rounds` rounds of `roundMs` each (a, b, b, a, a, b, ...). */
export function compareRates(
  a: (input: string) => unknown,
  b: (input: string) => unknown,
  inputs: readonly string[],
  options: { rounds: number; roundMs: number; warmupMs: number },
): { a: RateResult; b: RateResult } {
  runFor(a, inputs, options.warmupMs, 0);
  runFor(b, inputs, options.warmupMs, 0);
  const totals = { a: { ops: 0, ms: 0 }, b: { ops: 0, ms: 0 } };
  let ia = 0;
  let ib = 0;
  for (let r = 0; r < options.rounds; r++) {
    const order: Array<"a" | "b"> = r % 2 === 0 ? ["a", "b"] : ["b", "a"];
    for (const side of order) {
      if (side === "a") {
        const res = runFor(a, inputs, options.roundMs, ia);
        ia = res.next;
        totals.a.ops += res.ops;
        totals.a.ms += res.ms;
      } else {
        const res = runFor(b, inputs, options.roundMs, ib);
        ib = res.next;
        totals.b.ops += res.ops;
        totals.b.ms += res.ms;
      }
    }
  }
  const rate = (t: { ops: number; ms: number }): RateResult => ({ perSecond: t.ops / (t.ms / 1000), operations: t.ops, ms: t.ms });
  return { a: rate(totals.a), b: rate(totals.b) };
}
