// The production build as the images run it, outside the repository, configured by the environment
// alone, against a fresh database and a queue prefix of its own. The commands, the image environment
// and the health check are read from Dockerfile.web, Dockerfile.worker and compose.yaml, and run in
// copies of the two directories those images copy (.next/standalone, .next/worker).
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { composeCommand, nodeArgs, readRuntimeStage } from "./images";
import { MAIL_OUTBOX_DIR, ScaleRun, WebClient, baseEnv, buildCopies, freeLocalUrl, poll, runNode, stopProcs, waitForHealthy, type OwnPost } from "./support";

const { webDir, workerDir } = buildCopies();
const webImage = readRuntimeStage("Dockerfile.web");
const workerImage = readRuntimeStage("Dockerfile.worker");
const webArgs = nodeArgs(webImage.cmd);
const workerArgs = nodeArgs(workerImage.cmd);
const migrateArgs = nodeArgs(composeCommand("migrate"));
const run = new ScaleRun("prod");
const { writer, procs } = run;
let baseUrl = "";
let webEnv: NodeJS.ProcessEnv = baseEnv({});
let workerEnv: NodeJS.ProcessEnv = baseEnv({});

beforeAll(async () => {
  const databaseUrl = await run.createDatabase();
  const { port, url } = await freeLocalUrl();
  baseUrl = url;
  const env = run.env({ DATABASE_URL: databaseUrl, APP_URL: baseUrl });
  // What each image sets (ENV), then what a deployment passes; loopback only here.
  // A short drain, so the SIGTERM test below shows the bound within stopProcs' grace period.
  webEnv = { ...webImage.env, ...env, HOSTNAME: "127.0.0.1", PORT: String(port), WEB_SHUTDOWN_DRAIN_MS: "3000" };
  workerEnv = { ...workerImage.env, ...env };
});

afterAll(() => run.cleanup());

describe("production build without the source tree", () => {
  it("is what the images copy and run", () => {
    // global-setup.ts copies exactly these two directories; nothing else reaches the images.
    expect(webImage.copies).toEqual([{ from: "/app/.next/standalone", to: "./" }]);
    expect(workerImage.copies).toEqual([{ from: "/app/.next/worker", to: "./" }]);
    expect(webImage.workdir).toBe("/app");
    expect(workerImage.workdir).toBe("/app");
    for (const image of [webImage, workerImage]) {
      expect(image.user, "runs as a non-root user").toBe("node");
      expect(image.env.NODE_ENV).toBe("production");
    }
    expect(webImage.healthcheck?.[0]).toBe("node");
  });

  it("refuses to start with a missing or malformed variable, naming it", async () => {
    const web = await runNode("web", webArgs, webDir, { ...webEnv, AUTH_SECRET: "too-short" });
    expect(web.code).toBe(1);
    expect(web.output).toMatch(/Invalid InkWell configuration:[\s\S]*AUTH_SECRET: must be at least 32 characters/);

    const { DATABASE_URL: _unset, ...withoutDatabase } = workerEnv;
    const worker = await runNode("worker", workerArgs, workerDir, withoutDatabase);
    expect(worker.code).toBe(1);
    expect(worker.output).toMatch(/Invalid InkWell configuration:[\s\S]*DATABASE_URL/);

    const migrate = await runNode("migrate", migrateArgs, workerDir, { ...workerEnv, DATABASE_URL: "mysql://nope" });
    expect(migrate.code).toBe(1);
    expect(migrate.output).toMatch(/DATABASE_URL must be a URL/);
  });

  it("applies the migrations once when several instances migrate at the same time", async () => {
    const journal = JSON.parse(readFileSync(path.join(workerDir, "drizzle", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const total = journal.entries.length;
    const runs = await Promise.all([1, 2, 3].map((i) => runNode(`migrate-${i}`, migrateArgs, workerDir, workerEnv)));
    for (const run of runs) expect(run.code, run.output).toBe(0);
    const applied = runs.map((run) => Number(/(\d+) new migration\(s\) applied, (\d+) in total/.exec(run.output)?.[1]));
    // One run applied all of them (behind the advisory lock); the others found nothing left to do.
    expect(applied.sort((a, b) => a - b)).toEqual([0, 0, total]);
  });

  it("serves the app and the worker processes a post: register, sign in, create, ready", async () => {
    const worker = run.start("worker", workerArgs, workerDir, workerEnv);
    const web = run.start("web", webArgs, webDir, webEnv);
    await waitForHealthy(baseUrl, [web, worker]);

    // The image's HEALTHCHECK command, run as Docker would (in the workdir, with the container's env).
    const health = await runNode("healthcheck", nodeArgs(webImage.healthcheck!), webDir, webEnv, 10_000);
    expect(health.code, health.output).toBe(0);

    // Pages and the static assets copied into the standalone folder.
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);
    const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(await home.text())?.[0];
    expect(asset, "the home page links a static asset").toBeTruthy();
    expect((await fetch(`${baseUrl}${asset}`)).status).toBe(200);

    const client = new WebClient();
    const registered = await client.mutation<{ status: string; email: string }>(baseUrl, "users.register", writer);
    expect(registered).toEqual({ status: "verification-sent", email: writer.email });
    // The bundled worker mails the link (to the outbox: no SMTP here); following it signs in.
    await client.verifyEmail(baseUrl, writer.email, writer.password, MAIL_OUTBOX_DIR);

    const created = await client.mutation<OwnPost>(baseUrl, "posts.create", {
      title: "Shipped from a container",
      markdown: "# Hello\n\nRendered by **the bundled worker**.",
    });
    expect(created.status).toBe("queued");
    const ready = await poll("the post to be processed", async () => {
      const post = await client.query<OwnPost>(baseUrl, "posts.byId", { id: created.id });
      if (post.status === "failed") throw new Error(`processing failed: ${post.error}`);
      return post.status === "ready" ? post : undefined;
    }, { describe: () => worker.output().slice(-4_000) });
    expect(ready.processedVersion).toBe(created.version);
    expect(ready.html).toContain("<strong>the bundled worker</strong>");
    // The worker logs the job just after the row is ready (and the pipe delivers it a moment later).
    await poll("the worker's log line for the post", async () => (worker.output().includes(created.id) ? true : undefined), { timeoutMs: 5_000 });
  });

  it("serves the queue dashboard (files traced into the standalone output) to operators", async () => {
    const client = new WebClient();
    await client.signIn(baseUrl, writer.email, writer.password);
    const res = await client.request(baseUrl, "/api/admin/queues");
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    expect(html).toContain("InkWell queues");
  });

  it("stops cleanly on SIGTERM, within the drain limit even with a live-status stream open", async () => {
    const [worker, web] = procs;
    // A writer's open page: the server-sent-events request of the live status feed never ends by itself.
    const client = new WebClient();
    await client.signIn(baseUrl, writer.email, writer.password);
    const stream = await client.request(baseUrl, "/api/trpc/posts.onStatusChange", { headers: { accept: "text/event-stream" } });
    expect(stream.status).toBe(200);

    await stopProcs(procs);
    void stream.body?.cancel().catch(() => {});
    // Both drain and exit 0 (not killed: stopProcs would SIGKILL after 10 s, leaving exitCode null).
    expect(worker!.child.exitCode, worker!.output().slice(-2_000)).toBe(0);
    expect(web!.child.exitCode, web!.output().slice(-2_000)).toBe(0);
    expect(web!.output()).not.toMatch(/⨯|Error:/);
  });
});
