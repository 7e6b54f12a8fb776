// `npm start` supervises its children: the worker killed as the kernel's OOM killer would (SIGKILL),
// three times during a burst of saves, is restarted each time while the web keeps answering, and every
// post saved meanwhile is processed. Runs scripts/run.ts on the production build of this repository
// (`npm run build` first), with the environment alone, against a fresh database and queue prefix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT } from "../../scripts/services";
import { MAIL_OUTBOX_DIR, ScaleRun, WebClient, freeLocalUrl, operatorHeaders, poll, stopProcs, waitForHealthy, type OwnPost, type Proc } from "./support";

const run = new ScaleRun("supervised");
const { writer } = run;
let baseUrl = "";
let supervisor: Proc;

/** The pids the supervisor announced for a child ("worker started (pid N)"), oldest first. */
function pidsOf(name: "web" | "worker"): number[] {
  return [...supervisor.output().matchAll(new RegExp(`\\b${name} started \\(pid (\\d+)\\)`, "g"))].map((m) => Number(m[1]));
}

beforeAll(async () => {
  const databaseUrl = await run.createDatabase();
  const { port, url } = await freeLocalUrl();
  baseUrl = url;
  const env = run.env({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    APP_URL: baseUrl,
    // A killed worker's jobs go back to the queue within seconds instead of the default 30 s.
    WORKER_LOCK_DURATION_MS: "3000",
    WORKER_STALLED_INTERVAL_MS: "1000",
    WEB_SHUTDOWN_DRAIN_MS: "3000",
  });
  // `npm start` is `tsx scripts/run.ts start`; the same, without npm in between to relay signals.
  supervisor = run.start("npm start", ["--import", "tsx", "scripts/run.ts", "start"], REPO_ROOT, env);
  await waitForHealthy(baseUrl, [supervisor], 120_000);
});

afterAll(() => run.cleanup(45_000));

describe("npm start: a supervisor for the web and the worker", () => {
  it("restarts a worker killed three times during a burst of saves; the web answers throughout and every post ends ready", async () => {
    const client = new WebClient();
    await client.signUp(baseUrl, writer, MAIL_OUTBOX_DIR);
    await client.signIn(baseUrl, writer.email, writer.password);
    const webPids = pidsOf("web");
    expect(webPids).toHaveLength(1);

    // A reader, one request after another for the whole test: every one must be answered with 200.
    const reads = { answered: 0, failures: [] as string[] };
    let reading = true;
    const reader = (async () => {
      while (reading) {
        try {
          const res = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(15_000) });
          await res.arrayBuffer();
          if (res.status === 200) reads.answered += 1;
          else reads.failures.push(`GET / answered ${res.status}`);
        } catch (error) {
          reads.failures.push(`GET / failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();

    const saved: OwnPost[] = [];
    const save = async (n: number) =>
      saved.push(await client.mutation<OwnPost>(baseUrl, "posts.create", { title: `Burst ${n}`, markdown: `Post **${n}** of the burst.` }));
    try {
      for (let kill = 1; kill <= 3; kill++) {
        for (let n = 0; n < 4; n++) await save(kill * 10 + n);
        const pids = pidsOf("worker");
        process.kill(pids.at(-1)!, "SIGKILL");
        // Saves go on while the worker is down; the supervisor brings up a new one (after 1, 2, 4 s).
        for (let n = 4; n < 6; n++) await save(kill * 10 + n);
        await poll(`worker restart ${kill}`, async () => (pidsOf("worker").length === pids.length + 1 ? true : undefined), {
          timeoutMs: 60_000,
          describe: () => supervisor.output().slice(-4_000),
        });
      }
      for (let n = 0; n < 4; n++) await save(100 + n);

      const unfinished = await poll(
        "every saved post to be processed",
        async () => {
          const states = await Promise.all(saved.map((p) => client.query<OwnPost>(baseUrl, "posts.byId", { id: p.id })));
          const failed = states.find((p) => p.status === "failed");
          if (failed) throw new Error(`post ${failed.id} failed: ${failed.error}`);
          return states.every((p) => p.status === "ready") ? [] : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 500, describe: () => supervisor.output().slice(-4_000) },
      );
      expect(unfinished).toEqual([]);
    } finally {
      reading = false;
      await reader;
    }

    expect(saved).toHaveLength(22);
    expect(reads.failures).toEqual([]);
    expect(reads.answered).toBeGreaterThan(0);
    // The web was never restarted, the worker three times, and the supervisor is still running.
    expect(pidsOf("web")).toEqual(webPids);
    expect(pidsOf("worker")).toHaveLength(4);
    expect(supervisor.child.exitCode).toBeNull();
    expect(supervisor.output()).toMatch(/worker exited unexpectedly \(signal SIGKILL\); restarting it in 1 s \(restart 1\)/);

    // Operators see the restarts: in the health report and in the metrics.
    const health = await poll("the restarts in /api/health", async () => {
      const body = (await (await client.request(baseUrl, "/api/health", { headers: operatorHeaders })).json()) as { restarts?: Record<string, number> };
      return body.restarts?.worker === 3 ? body : undefined;
    });
    expect(health.restarts).toEqual({ worker: 3 });
    const metrics = await (await client.request(baseUrl, "/api/metrics", { headers: operatorHeaders })).text();
    expect(metrics).toMatch(/inkwell_process_restarts_total\{process="worker",supervisor="[^"]+"\} 3/);
  }, 300_000);

  it("stops everything cleanly on SIGTERM", async () => {
    await stopProcs([supervisor], 45_000);
    expect(supervisor.child.exitCode, supervisor.output().slice(-3_000)).toBe(0);
  });
});
