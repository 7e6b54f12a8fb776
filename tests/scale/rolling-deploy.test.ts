// A rolling deploy behind the gateway (issue 18 §3): two web instances of the production build behind
// gateway/nginx.conf.template and its readiness follower, a steady stream of saves and page reads through
// the gateway, and each instance replaced in turn (SIGTERM, exit, a new one on the same address). Not one request may fail and
// not one save may be lost: what each post holds at the end is the last save the writer was told of.
import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { prepareGateway } from "../../scripts/gateway";
import { freePort, startProcess } from "../../scripts/services";
import { composeCommand, nodeArgs, readRuntimeStage } from "./images";
import { MAIL_OUTBOX_DIR, ScaleRun, TrpcError, WebClient, baseEnv, buildCopies, freeLocalUrl, poll, runNode, waitForHealthy, type OwnPost, type Proc } from "./support";

const { webDir, workerDir } = buildCopies();
const webArgs = nodeArgs(readRuntimeStage("Dockerfile.web").cmd);
const workerArgs = nodeArgs(readRuntimeStage("Dockerfile.worker").cmd);
const migrateArgs = nodeArgs(composeCommand("migrate"));
const run = new ScaleRun("rolling");
const { writer } = run;

interface Instance {
  name: string;
  port: number;
  proc: Proc;
}

let gatewayUrl = "";
let accessLog = "";
let follower: Proc;
let webEnv: NodeJS.ProcessEnv = baseEnv({});
const instances: Instance[] = [];

function startWeb(name: string, port: number): Instance {
  return { name, port, proc: run.start(name, webArgs, webDir, { ...webEnv, PORT: String(port) }) };
}

/** Until the instance itself answers its readiness probe (not just any instance behind the gateway). */
async function waitForReady(instance: Instance): Promise<void> {
  await poll(`${instance.name} to be ready`, async () => {
    if (instance.proc.child.exitCode !== null) throw new Error(`${instance.name} exited with ${instance.proc.child.exitCode}`);
    const res = await fetch(`http://127.0.0.1:${instance.port}/api/health?probe=web`, { signal: AbortSignal.timeout(5_000) });
    return res.status === 200 ? true : undefined;
  }, { timeoutMs: 60_000, describe: () => instance.proc.output().slice(-3_000) });
  // Ready only once it has loaded the main routes (scripts/web-warm-up.ts), so no request waits for that.
  expect(instance.proc.output()).toMatch(/warmed up in \d+ ms/);
}

/** SIGTERM, as an orchestrator stops a container; resolves with the exit code. */
async function stopWeb(instance: Instance): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => instance.proc.child.once("exit", (code) => resolve(code)));
  instance.proc.child.kill("SIGTERM");
  return exited;
}

beforeAll(async () => {
  const databaseUrl = await run.createDatabase();
  const gatewayPort = await freePort();
  const purgePort = await freePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const env = run.env({ DATABASE_URL: databaseUrl, APP_URL: gatewayUrl });
  const migrated = await runNode("migrate", migrateArgs, workerDir, env);
  expect(migrated.code, migrated.output).toBe(0);
  webEnv = { ...env, HOSTNAME: "127.0.0.1", TRUSTED_PROXIES: "1", CDN_PURGE_URLS: `http://127.0.0.1:${purgePort}` };
  run.start("worker", workerArgs, workerDir, env);

  const [a, b] = [await freeLocalUrl(), await freeLocalUrl()];
  instances.push(startWeb("web-a", a.port), startWeb("web-b", b.port));
  const gateway = prepareGateway({
    listen: `127.0.0.1:${gatewayPort}`,
    upstreams: instances.map((instance) => `127.0.0.1:${instance.port}`),
    purgeListen: `127.0.0.1:${purgePort}`,
  });
  accessLog = gateway.accessLog;
  run.procs.push(startProcess("gateway", gateway.command, gateway.args));
  // As compose runs it (gateway/entrypoint.sh): instances not ready are taken out of nginx's list.
  follower = startProcess("follow-readiness", gateway.readinessFollower.command, gateway.readinessFollower.args);
  run.procs.push(follower);
  for (const instance of instances) await waitForReady(instance);
  await waitForHealthy(gatewayUrl, run.procs);
});

afterAll(() => run.cleanup());

describe("a rolling deploy of two web instances behind the gateway", () => {
  it("replaces both instances while saves and reads go on: no failed request, no lost save", async () => {
    const client = new WebClient();
    await client.mutation(gatewayUrl, "users.register", writer);
    await client.verifyEmail(gatewayUrl, writer.email, writer.password, MAIL_OUTBOX_DIR);

    // Four posts, each saved by its own loop one save after another (as one editor tab autosaves).
    const posts = await Promise.all(
      [1, 2, 3, 4].map((n) => client.mutation<OwnPost>(gatewayUrl, "posts.create", { title: `Rolling ${n}`, markdown: `Draft ${n}.` })),
    );
    const published = await client.mutation<OwnPost>(gatewayUrl, "posts.create", { title: "Read while deploying", markdown: "Still here." });
    await client.mutation(gatewayUrl, "posts.publish", { id: published.id });
    const postPage = `/@${writer.username}/${published.slug}`;
    await poll("the published post's page", async () => ((await fetch(`${gatewayUrl}${postPage}`)).status === 200 ? true : undefined));

    const failures: string[] = [];
    const resent: string[] = [];
    /**
     * A browser resends a request when the keep-alive connection it reused turns out to be closed before
     * any answer (Chromium does, for any method: the server closed an idle connection, so it never read
     * the request). nginx closes all its idle client connections at once on every reload (the readiness
     * follower reloads it twice per instance), so the test's client does the same. A resend may pick
     * another pooled connection that the same reload closed, so it waits a moment for the pool to see
     * those closes and tries up to twice. A save resent after it had been applied would fail here with a
     * version conflict, so this cannot hide a doubled save.
     */
    const likeABrowser = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await send();
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          const closedBeforeAnswer = error instanceof TypeError && (code === "UND_ERR_SOCKET" || code === "ECONNRESET");
          if (!closedBeforeAnswer || attempt === 2) throw error;
          resent.push(`${what}: ${code}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const lastSaved = new Map<string, { version: number; markdown: string }>(posts.map((p) => [p.id, { version: p.version, markdown: p.markdown }]));
    let saves = 0;
    let reads = 0;
    let deploying = true;

    const saveLoop = async (post: OwnPost) => {
      for (let seq = 1; deploying; seq += 1) {
        const markdown = `Save ${seq} of ${post.title}.`;
        const base = lastSaved.get(post.id)!;
        try {
          const saved = await likeABrowser(`save ${seq}`, () => client.mutation<OwnPost>(gatewayUrl, "posts.update", { id: post.id, version: base.version, markdown }));
          lastSaved.set(post.id, { version: saved.version, markdown });
          saves += 1;
        } catch (error) {
          failures.push(`save ${seq} of ${post.title}: ${error instanceof TrpcError ? `${error.status} ${error.code} ${error.message}` : `${String(error)} (${String((error as { cause?: unknown }).cause)})`}`);
          return; // the next save would be based on an unknown version
        }
      }
    };
    const readLoop = async (path: string) => {
      while (deploying) {
        try {
          const res = await likeABrowser(`GET ${path}`, () => client.request(gatewayUrl, path));
          await res.arrayBuffer();
          if (res.status !== 200) failures.push(`GET ${path}: ${res.status}`);
          reads += 1;
        } catch (error) {
          failures.push(`GET ${path}: ${String(error)} (${String((error as { cause?: unknown }).cause)})`);
        }
      }
    };
    const load = Promise.all([
      ...posts.map(saveLoop),
      readLoop("/dashboard"), // per writer: always reaches an instance
      readLoop(`/api/trpc/posts.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: published.id } }))}`),
      readLoop(postPage), // public: mostly the gateway's stored copy
      readLoop("/"),
    ]);

    // Let the load settle on both instances, then replace each in turn.
    await poll("saves under way", async () => (saves >= 20 ? true : undefined), { timeoutMs: 30_000, describe: () => failures.join("\n") });
    const exitCodes: (number | null)[] = [];
    for (const [index, old] of [...instances].entries()) {
      exitCodes.push(await stopWeb(old));
      const replacement = startWeb(`${old.name}-new`, old.port);
      instances[index] = replacement;
      await waitForReady(replacement);
      // Traffic reaches the new instance before the next one goes.
      const servedBefore = saves;
      await poll("saves through the new instance", async () => (saves >= servedBefore + 10 ? true : undefined), {
        timeoutMs: 30_000,
        describe: () => `failures so far: ${failures.join("\n")}\n--- ${old.name}:\n${old.proc.output().slice(-2_000)}`,
      });
    }
    deploying = false;
    await load;

    expect(failures).toEqual([]);
    console.log(`[rolling deploy] ${saves} saves, ${reads} reads; resent after a closed keep-alive connection: ${resent.length}`);
    expect(exitCodes, "each old instance drained and exited cleanly").toEqual([0, 0]);
    // The gateway took each instance out when it started draining and back once its successor was warm.
    expect(follower.output().match(/not ready: 127\.0\.0\.1:\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(saves).toBeGreaterThan(40);
    expect(reads).toBeGreaterThan(40);
    for (const post of posts) {
      const stored = await client.query<OwnPost>(gatewayUrl, "posts.byId", { id: post.id });
      expect(stored.markdown, `${post.title} holds its last acknowledged save`).toBe(lastSaved.get(post.id)!.markdown);
      expect(stored.version).toBe(lastSaved.get(post.id)!.version);
    }
    // Both new instances served requests through the gateway, and it answered no 5xx to anyone.
    const log = readFileSync(accessLog, "utf8");
    for (const instance of instances) expect(log).toContain(`upstream=127.0.0.1:${instance.port}`);
    expect(log.split("\n").filter((line) => /" 5\d\d /.test(line))).toEqual([]);
  });
});
