// Two operations on the production build (copies of .next/standalone and .next/worker):
// - `npm run backup` of a populated database, `npm run restore` into a fresh one, and a second web
//   instance on the copy serving the same public pages and API answers;
// - the readiness probe of a web instance that has been told to stop (SIGTERM): 503 from that moment,
//   so a load balancer holding connections to it sends nothing new.
import { mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT, runProcess } from "../../scripts/services";
import { migrateArgs, webArgs, workerArgs } from "../../scripts/production";
import { MAIL_OUTBOX_DIR, ScaleRun, WebClient, buildCopies, freeLocalUrl, poll, runNode, waitForHealthy, type OwnPost, type Proc } from "./support";

const { webDir, workerDir } = buildCopies();
const run = new ScaleRun("ops");
const { writer } = run;
const backupDir = mkdtempSync(path.join(tmpdir(), "inkwell-scale-backup-"));
let original = "";
let originalDatabase = "";
let restored: { proc: Proc; url: string } | undefined;

async function startWeb(name: string, databaseUrl: string): Promise<{ proc: Proc; url: string }> {
  const { port, url } = await freeLocalUrl();
  // Behind a load balancer every instance has the same public URL: the first instance's.
  const proc = run.start(name, webArgs(webDir), webDir, run.env({ HOSTNAME: "127.0.0.1", DATABASE_URL: databaseUrl, PORT: String(port), APP_URL: original || url, WEB_SHUTDOWN_DRAIN_MS: "5000" }));
  return { proc, url };
}

/** `npm run backup|restore -- …` (tsx scripts/backup.ts) against a server database. */
function backupScript(args: string[], databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return runProcess("backup", process.execPath, ["--import", "tsx", "scripts/backup.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeoutMs: 120_000,
  });
}

/** What readers get: the public pages and API answers that must come back identical from a restore. */
async function publicView(baseUrl: string, posts: OwnPost[]) {
  const page = async (pathname: string) => {
    const res = await fetch(`${baseUrl}${pathname}`);
    const html = await res.text();
    // The page's own content: titles and rendered posts (scripts carry per-request nonces).
    return { status: res.status, text: html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/nonce="[^"]*"/g, "") };
  };
  const api = async (pathname: string) => {
    const res = await fetch(`${baseUrl}${pathname}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  return {
    list: await api("/api/v1/posts"),
    author: await api(`/api/v1/authors/${writer.username}`),
    posts: await Promise.all(posts.map((p) => api(`/api/v1/posts/${writer.username}/${p.slug}`))),
    pages: await Promise.all(posts.map((p) => page(`/@${writer.username}/${p.slug}`))),
  };
}

beforeAll(async () => {
  originalDatabase = await run.createDatabase();
  const env = run.env({ HOSTNAME: "127.0.0.1", DATABASE_URL: originalDatabase });
  const migrated = await runNode("migrate", migrateArgs(workerDir), workerDir, env);
  expect(migrated.code, migrated.output).toBe(0);
  run.start("worker", workerArgs(workerDir), workerDir, env);
  const web = await startWeb("web-original", originalDatabase);
  original = web.url;
  await waitForHealthy(original, run.procs, 120_000);
});

afterAll(async () => {
  await run.cleanup();
  rmSync(backupDir, { recursive: true, force: true });
});

describe("npm run backup / restore on a PostgreSQL server", () => {
  it("restores a populated database into a fresh one that serves the same public pages", async () => {
    const client = new WebClient();
    await client.signUp(original, writer, MAIL_OUTBOX_DIR);
    await client.signIn(original, writer.email, writer.password);
    const posts: OwnPost[] = [];
    for (const n of [1, 2]) {
      const post = await client.mutation<OwnPost>(original, "posts.create", { title: `Kept ${n}`, markdown: `# Kept ${n}\n\nWorth **keeping**.` });
      await poll(`post ${n} processed`, async () => ((await client.query<OwnPost>(original, "posts.byId", { id: post.id })).status === "ready" ? true : undefined));
      await client.mutation(original, "posts.publish", { id: post.id });
      posts.push(post);
    }
    const before = await publicView(original, posts);
    for (const page of before.pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain("<strong>keeping</strong>");
    }
    expect(before.list.status).toBe(200);

    const file = path.join(backupDir, "inkwell.dump");
    const backup = await backupScript(["backup", file], originalDatabase);
    expect(backup.code, backup.output).toBe(0);

    const restoredUrl = await run.createDatabase();
    const restore = await backupScript(["restore", file], restoredUrl);
    expect(restore.code, restore.output).toBe(0);
    // Restoring over a database that already holds InkWell's data needs --replace.
    const again = await backupScript(["restore", file], restoredUrl);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already holds InkWell's tables .* pass --replace/);

    const copy = await startWeb("web-restored", restoredUrl);
    restored = copy;
    await poll("the restored instance", async () => ((await fetch(`${copy.url}/api/health?probe=web`)).status === 200 ? true : undefined), {
      timeoutMs: 120_000,
      describe: () => copy.proc.output().slice(-3_000),
    });
    const after = await publicView(copy.url, posts);
    expect(after).toEqual(before);
  }, 300_000);
});

describe("readiness while draining", () => {
  it("answers 503 on /api/health?probe=web from the moment the instance is told to stop", async () => {
    if (!restored) throw new Error("the backup test starts this instance");
    const { proc, url } = restored;
    const port = Number(new URL(url).port);
    // A load balancer's pooled connection with a request in flight: an upload whose body (chunked, so
    // the route reads it all before answering) is still arriving when the stop signal comes.
    const socket = net.connect(port, "127.0.0.1");
    await once(socket, "connect");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    // A public mutation (preview needs a session): its input is checked only once the whole body is in.
    const body = JSON.stringify({ json: { email: "held-open-not-an-address", username: "held_open", displayName: "Held", password: "x" } });
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    socket.write(
      `POST /api/trpc/users.register HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n${chunk(body.slice(0, 8))}`,
    );
    // Ready before the signal (and, answered after it on the same event loop, our request was read).
    expect((await fetch(`${url}/api/health?probe=web`)).status).toBe(200);

    proc.child.kill("SIGTERM");
    await poll("the instance to start draining", async () => (proc.output().includes("draining: readiness probe answers 503") ? true : undefined));
    // The rest of the upload, then the balancer's next health check on the same connection.
    socket.write(`${chunk(body.slice(8))}0\r\n\r\nGET /api/health?probe=web HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const statuses = await poll("both answers", async () => {
      const seen = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
      return seen.length >= 2 ? seen : undefined;
    });
    socket.destroy();
    // The request in flight is finished (its validation answer needed the whole body); the probe says "not ready".
    expect(statuses).toEqual([400, 503]);
    expect(received).toContain("BAD_REQUEST");
    expect(received).toMatch(/"draining":true/);
    expect(await proc.exited).toBe(0);
  });
});
