import { randomUUID } from "node:crypto";

import { createTestDatabase, dropTestDatabase } from "../../scripts/services";
import { onCleanup } from "../lib/cleanup";
import { appEnv, binPath, phaseMs, type BenchContext } from "../lib/context";
import { mapLimit } from "../lib/http";
import { makeMarkdown } from "../lib/markdown";
import { runCommand } from "../lib/processes";
import { makeRow, type ScenarioResult } from "../lib/results";
import { nowMs, round } from "../lib/stats";
import type { ProbeResult } from "./database-probe";

// 6. Database:
//  - statements per save, counted exactly by a wire-protocol proxy in a child process (database-probe.ts),
//    against pgbench -N's statements per transaction counted through the same proxy;
//  - saves per second (updatePost in this process, 8 concurrent writers each on its own 20 KB post, so
//    the real transaction, row lock, version check and enqueue) against pgbench -N -c 8 -j 2 tps on a
//    scratch database of the same server.

const WRITERS = 8;

async function pgbenchTps(databaseUrl: string, seconds: number): Promise<number> {
  const u = new URL(databaseUrl);
  const base = ["-h", u.hostname, "-p", u.port || "5432", "-U", u.username || "postgres"];
  const out = await runCommand("pgbench", ["-n", "-N", "-c", String(WRITERS), "-j", "2", "-T", String(seconds), ...base, u.pathname.slice(1)], {
    timeoutMs: (seconds + 60) * 1000,
  });
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  if (!match) throw new Error(`could not read tps from pgbench:\n${out}`);
  return Number(match[1]);
}

async function savesPerSecond(durationMs: number): Promise<{ perSecond: number; saves: number; ms: number }> {
  const { createPost, updatePost } = await import("@/server/posts/write");
  const authorId = randomUUID();
  const variants = [makeMarkdown(20_000, 21), makeMarkdown(20_000, 22)];
  const posts = await mapLimit(Array.from({ length: WRITERS }, (_, i) => i), WRITERS, (i) =>
    createPost(authorId, { title: `DB writer ${i}`, markdown: variants[1]! }),
  );
  const state = posts.map((p) => ({ id: p.id, version: p.version }));
  // Warm-up (prepared statements, pool connections), then the timed phase.
  const phase = async (ms: number, maxSaves: number) => {
    let saves = 0;
    const start = nowMs();
    await Promise.all(
      state.map(async (post) => {
        for (let i = 0; nowMs() - start < ms && saves < maxSaves; i++) {
          const saved = await updatePost(authorId, { id: post.id, version: post.version, markdown: variants[post.version % 2]! });
          post.version = saved.version;
          saves++;
        }
      }),
    );
    return { saves, ms: nowMs() - start };
  };
  await phase(1_000, 2_000);
  const timed = await phase(durationMs, 200_000);
  return { perSecond: timed.saves / (timed.ms / 1000), ...timed };
}

export async function runDatabaseScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const notes: string[] = [];
  const pgbenchDb = await createTestDatabase();
  const forget = onCleanup("pgbench database", () => dropTestDatabase(pgbenchDb));
  try {
    const u = new URL(pgbenchDb);
    await runCommand("pgbench", ["-i", "-q", "-s", "1", "-h", u.hostname, "-p", u.port || "5432", "-U", u.username || "postgres", u.pathname.slice(1)], {
      timeoutMs: 120_000,
    });

    const probeOut = await runCommand(binPath(ctx, "tsx"), ["bench/scenarios/database-probe.ts"], {
      cwd: ctx.root,
      env: appEnv(ctx, { BENCH_PGBENCH_DATABASE_URL: pgbenchDb }),
      timeoutMs: 120_000,
    });
    const line = probeOut.split("\n").find((l) => l.startsWith("BENCH_PROBE_RESULT "));
    if (!line) throw new Error(`the statement probe printed no result:\n${probeOut.slice(-2_000)}`);
    const probe = JSON.parse(line.slice("BENCH_PROBE_RESULT ".length)) as ProbeResult;
    ctx.log(
      `db statements: save ${probe.perDraftSave} (draft) / ${probe.perPublishedSave} (published), ` +
        `processing ${probe.perDraftProcessing} / ${probe.perPublishedProcessing}, pgbench -N ${probe.perPgbenchTransaction} per transaction`,
    );
    ctx.log(`db statements of one draft save: ${JSON.stringify(probe.draftSave.byStatement)}`);
    ctx.log(`db statements of its processing: ${JSON.stringify(probe.draftProcessing.byStatement)}`);

    const seconds = Math.round(phaseMs(ctx, 10) / 1000);
    const saves = await savesPerSecond(seconds * 1000);
    const tps = await pgbenchTps(pgbenchDb, seconds);
    ctx.log(`db writes: ${saves.saves} saves in ${round(saves.ms)} ms = ${round(saves.perSecond)}/s; pgbench -N -c ${WRITERS} -j 2 -T ${seconds}: ${round(tps)} tps`);

    return {
      rows: [
        makeRow("db: statements per save (request) vs per pgbench -N transaction", probe.perDraftSave, probe.perPgbenchTransaction, "statements", "lower"),
        makeRow(
          "db: statements per save incl. worker processing vs per pgbench -N transaction",
          probe.perDraftSave + probe.perDraftProcessing,
          probe.perPgbenchTransaction,
          "statements",
          "lower",
        ),
        makeRow(`db: saves/s (updatePost, ${WRITERS} writers, 20 KB) vs pgbench -N tps (${WRITERS} clients)`, saves.perSecond, tps, "tx/s", "higher"),
      ],
      notes,
    };
  } finally {
    forget();
    await dropTestDatabase(pgbenchDb);
  }
}
