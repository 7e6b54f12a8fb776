// `npm run bench`: InkWell's benchmark. Runs against the real PostgreSQL and Redis on loopback, in a
// database and a queue prefix of its own, and prints one table of ratios, each of two things measured in
// this run, also written to bench/results/latest.json and latest.md. See bench/README.md.
//
//   npm run bench                      everything (about 4–5 minutes); writes bench/results/
//   npm run bench -- --quick           shorter phases, nothing written unless --write
//   npm run bench -- --only=render,db  some scenarios (render, worker, db, publish, http, reading, portability, images, newsletter), nothing written unless --write
//                                      (which replaces only those scenarios' rows in bench/results/)
//   npm run bench -- --build           run `next build` first (otherwise an existing .next build is required)
//   npm run bench -- --private-build   build a private copy of the working tree in a temp dir and serve that
//                                      (leaves the shared .next alone); BENCH_APP_DIR=<dir> serves another build
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createTestDatabase, deleteRedisPrefix, dropTestDatabase, redactUrl, redisAnswers } from "../scripts/services";
import { buildPrivateCopy } from "./lib/app-build";
import { cleanUpAll, onCleanup } from "./lib/cleanup";
import { appEnv, type BenchContext } from "./lib/context";
import { runCommand } from "./lib/processes";
import { machineInfo, type Results, type Row, type ScenarioResult } from "./lib/results";
import { consoleTable, markdownReport } from "./lib/table";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS_DIR = path.join(ROOT, "bench", "results");
const SCENARIOS = ["render", "worker", "db", "publish", "http", "reading", "portability", "images", "newsletter"] as const;
type ScenarioName = (typeof SCENARIOS)[number];
/** Rows are printed in the order of the list, whatever order the scenarios run in. */
const PRINT_ORDER: ScenarioName[] = ["http", "reading", "worker", "render", "publish", "db", "portability", "images", "newsletter"];

const log = (message: string) => console.log(`[bench] ${message}`);

function parseArgs(argv: string[]) {
  const flags = new Set(argv.filter((a) => !a.startsWith("--only=")));
  const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const selected = only ? only.split(",").map((s) => s.trim()) : [...SCENARIOS];
  for (const name of selected) {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.join(", ")})`);
  }
  const quick = flags.has("--quick");
  const partial = Boolean(only) || quick;
  return { quick, build: flags.has("--build"), privateBuild: flags.has("--private-build"), selected: selected as ScenarioName[], write: flags.has("--write") || !partial };
}

/**
 * A run of some scenarios replaces only their rows and notes in the stored results; the others stay, with
 * the date they were measured. Rows stored before rows named their scenario are replaced by name.
 */
function mergeIntoStored(stored: Results, fresh: Results, ran: readonly ScenarioName[]): Results {
  const names = new Set(fresh.rows.map((row) => row.name));
  const kept = stored.rows.filter((row) => (row.scenario ? !(ran as readonly string[]).includes(row.scenario) : !names.has(row.name)));
  const position = (row: Row) => PRINT_ORDER.indexOf(row.scenario as ScenarioName);
  return {
    machine: stored.machine,
    rows: [...kept, ...fresh.rows].sort((a, b) => position(a) - position(b)),
    notes: [...stored.notes.filter((note) => !ran.some((name) => note.startsWith(`${name}: `))), ...fresh.notes],
    measured: { ...stored.measured, ...fresh.measured },
  };
}

async function runScenario(name: ScenarioName, ctx: BenchContext): Promise<ScenarioResult> {
  switch (name) {
    case "render":
      return (await import("./scenarios/render")).runRenderScenario(ctx);
    case "worker":
      return (await import("./scenarios/worker-throughput")).runWorkerScenario(ctx);
    case "db":
      return (await import("./scenarios/database")).runDatabaseScenario(ctx);
    case "publish":
      return (await import("./scenarios/publish-visible")).runPublishScenario(ctx);
    case "http":
      return (await import("./scenarios/http")).runHttpScenarios(ctx);
    case "portability":
      return (await import("./scenarios/portability")).runPortabilityScenario(ctx);
    case "reading":
      return (await import("./scenarios/reading-cache")).runReadingCacheScenario(ctx);
    case "images":
      return (await import("./scenarios/images")).runImagesScenario(ctx);
    case "newsletter":
      return (await import("./scenarios/newsletter")).runNewsletterScenario(ctx);
  }
}

/** Ends the pools and Redis clients the in-process scenarios opened through the app's own modules. */
async function closeInProcessConnections(): Promise<void> {
  const [{ closeDb }, { closeSharedRedis }, { closeStatusFeed }, { closeRateLimits }] = await Promise.all([
    import("@/server/db"),
    import("@/server/jobs/redis"),
    import("@/server/jobs/status-feed"),
    import("@/server/security/rate-limit"),
  ]);
  await Promise.allSettled([closeDb(), closeSharedRedis(), closeStatusFeed(), closeRateLimits()]);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  if (!(await redisAnswers(redisUrl, 2_000))) throw new Error(`No Redis answers at ${redactUrl(redisUrl)}.`);

  const needsBuild = args.selected.includes("http");
  let appDir = process.env.BENCH_APP_DIR ? path.resolve(process.env.BENCH_APP_DIR) : ROOT;
  if (needsBuild && args.privateBuild) {
    appDir = await buildPrivateCopy(ROOT, log);
  } else if (needsBuild && appDir !== ROOT && !existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
    throw new Error(`BENCH_APP_DIR=${appDir} has no production build (.next/BUILD_ID).`);
  } else if (needsBuild && appDir === ROOT && (args.build || !existsSync(path.join(ROOT, ".next", "BUILD_ID")))) {
    if (!args.build) {
      throw new Error(
        "No production build (.next/BUILD_ID). Run `SKIP_ENV_VALIDATION=1 npx next build`, or `npm run bench -- --build`, " +
          "or `npm run bench -- --private-build` (builds a private copy, leaving .next alone).",
      );
    }
    log("building the production app (next build)…");
    await runCommand(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      cwd: ROOT,
      env: { ...process.env, SKIP_ENV_VALIDATION: "1", NEXT_TELEMETRY_DISABLED: "1" },
      timeoutMs: 600_000,
    });
  }

  const runId = randomBytes(4).toString("hex");
  const queuePrefix = `{inkwell-bench-${runId}}`;
  const databaseUrl = await createTestDatabase();
  onCleanup("bench database", () => dropTestDatabase(databaseUrl));
  onCleanup("bench Redis keys", async () => void (await deleteRedisPrefix(redisUrl, queuePrefix)));
  const ctx: BenchContext = {
    root: ROOT,
    appDir,
    databaseUrl,
    redisUrl,
    queuePrefix,
    authSecret: randomBytes(33).toString("base64url"),
    logDir: mkdtempSync(path.join(os.tmpdir(), `inkwell-bench-${runId}-`)),
    quick: args.quick,
    log,
  };
  log(`database ${redactUrl(databaseUrl)}, queue prefix ${queuePrefix}, logs in ${ctx.logDir}`);

  // The app's modules read their configuration once, at import: set it before any scenario loads them.
  Object.assign(process.env, appEnv(ctx));
  delete process.env.SKIP_ENV_VALIDATION;
  onCleanup("in-process connections", closeInProcessConnections);

  const byScenario = new Map<ScenarioName, ScenarioResult>();
  const order = SCENARIOS.filter((s) => args.selected.includes(s));
  for (const name of order) {
    const t0 = Date.now();
    log(`scenario ${name}…`);
    try {
      byScenario.set(name, await runScenario(name, ctx));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`scenario ${name} failed: ${message}`);
      byScenario.set(name, { rows: [], notes: [`Scenario ${name} failed: ${error instanceof Error ? error.message : String(error)}`] });
    }
    log(`scenario ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const rows: Row[] = [];
  const notes: string[] = [];
  for (const name of PRINT_ORDER) {
    const r = byScenario.get(name);
    if (!r) continue;
    rows.push(...r.rows.map((row) => ({ ...row, scenario: name })));
    notes.push(...r.notes.map((note) => `${name}: ${note}`));
  }
  const machine = machineInfo();
  const results: Results = { machine, rows, notes, measured: Object.fromEntries(order.map((name) => [name, machine])) };
  console.log(`\n${consoleTable(rows)}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  if (rows.length > 0) {
    const slowest = rows.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    console.log(`slowest ratio: ${slowest.name} (${slowest.ratio}x)`);
  }
  if (args.write) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const latest = path.join(RESULTS_DIR, "latest.json");
    const written = order.length < SCENARIOS.length && existsSync(latest) ? mergeIntoStored(JSON.parse(readFileSync(latest, "utf8")) as Results, results, order) : results;
    writeFileSync(latest, `${JSON.stringify(written, null, 2)}\n`);
    writeFileSync(path.join(RESULTS_DIR, "latest.md"), markdownReport(written));
    log(order.length < SCENARIOS.length ? `replaced the rows of ${order.join(", ")} in bench/results/latest.json and latest.md` : "wrote bench/results/latest.json and latest.md");
  } else {
    log("partial or quick run: results not written (add --write to write them)");
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const failed = [...byScenario.values()].some((r) => r.notes.some((n) => n.startsWith("Scenario ") && n.includes(" failed: ")));
  if (failed || process.env.BENCH_KEEP_LOGS) log(`child process logs kept in ${ctx.logDir}`);
  else rmSync(ctx.logDir, { recursive: true, force: true });
  return failed ? 1 : 0;
}

let exitCode = 1;
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: cleaning up…`);
    void cleanUpAll(log).finally(() => process.exit(130));
  });
}
try {
  exitCode = await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  if (!interrupted) await cleanUpAll(log);
}
process.exit(exitCode);
