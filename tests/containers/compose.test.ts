// The images built from Dockerfile.web, Dockerfile.worker and Dockerfile.gateway and run by
// compose.yaml, as the README tells an operator to: migrate, health (with the images' HEALTHCHECKs),
// `--scale worker=2`, a sign-up through the link mailed over SMTP, a post processed and published and
// read through the gateway (and purged from it when edited), and a `docker compose down` in which every
// container exits 0. The override changes only what this machine cannot pull or reach: the postgres
// and redis services are replaced by the machine's own servers (a fresh database and a queue prefix of
// this run's own), and everything runs on the host network (the engine has no bridge), on free ports.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT, deleteRedisPrefix, dropTestDatabase, freePort } from "../../scripts/services";
import { WebClient } from "../../scripts/web-client";
import { createTestDatabase, testServerUrl } from "../../scripts/services";
import { REDIS_URL, newWriter, poll, uniquePrefix, type OwnPost } from "../scale/support";
import { startMailSink, type MailSink } from "./mail-sink";
import { run, runOrThrow, say, type RunOptions } from "./shell";

const cli = process.env.INKWELL_DOCKER_CLI || "docker";
const project = `inkwell-ci-${randomBytes(3).toString("hex")}`;
const metricsToken = randomBytes(24).toString("hex");
const prefix = uniquePrefix("containers");
const writer = newWriter("box");
const workDir = mkdtempSync(path.join(tmpdir(), "inkwell-containers-"));
const envFile = path.join(workDir, "compose.env");
const overrideFile = path.join(workDir, "compose.override.yaml");
let databaseUrl = "";
let baseUrl = "";
let gatewayUrl = "";
let sink: MailSink | undefined;
let upAt = "";

const docker = (args: string[], options: RunOptions = {}) => runOrThrow(cli, args, { cwd: REPO_ROOT, timeoutMs: 300_000, ...options });
// Every compose command reads the same settings file, as an operator's .env (the README's advice).
const composeArgs = (args: string[]) => ["compose", "--project-name", project, "--env-file", envFile, "-f", path.join(REPO_ROOT, "compose.yaml"), "-f", overrideFile, ...args];
const compose = (args: string[], options: RunOptions = {}) => docker(composeArgs(args), options);

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
}

interface ContainerSummary {
  Name: string;
  Service: string;
  State: string;
  ExitCode: number;
}

/** `docker compose ps -a` as objects (the JSON is one array in some Compose versions, one object a line in others). */
async function containers(): Promise<ContainerSummary[]> {
  const { stdout } = await compose(["ps", "--all", "--format", "json"]);
  const text = stdout.trim();
  if (!text) return [];
  return text.startsWith("[") ? (JSON.parse(text) as ContainerSummary[]) : text.split("\n").map((line) => JSON.parse(line) as ContainerSummary);
}

async function health(): Promise<{ status: number; body: { ok: boolean; workers?: { alive: number } } }> {
  const res = await fetch(`${baseUrl}/api/health`, { headers: { authorization: `Bearer ${metricsToken}` }, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; workers?: { alive: number } } };
}

const logs = async () => (await run(cli, composeArgs(["logs", "--no-color", "--tail", "80"]), { cwd: REPO_ROOT })).stdout;

/** The override: the machine's own Postgres and Redis instead of images that cannot be pulled here. */
function overrideYaml(port: number, smtpUrl: string, gatewayPort: number, purgePort: number): string {
  const appEnv = [
    `DATABASE_URL: "${databaseUrl}"`,
    `REDIS_URL: "${REDIS_URL}"`,
    `QUEUE_PREFIX: "${prefix}"`,
    `SMTP_URL: "${smtpUrl}"`,
    `METRICS_TOKEN: "${metricsToken}"`,
    `CDN_PURGE_URLS: "http://127.0.0.1:${purgePort}"`,
  ];
  const indent = (lines: string[], spaces: number) => lines.map((l) => `${" ".repeat(spaces)}${l}`).join("\n");
  const afterMigrate = "    depends_on: !override\n      migrate:\n        condition: service_completed_successfully";
  return `# Written by tests/containers/compose.test.ts for one run.
services:
  # Replaced by the machine's own servers: never started.
  postgres:
    profiles: ["replaced-by-the-host"]
  redis:
    profiles: ["replaced-by-the-host"]
  migrate:
    network_mode: host
    environment:
      DATABASE_URL: "${databaseUrl}"
    depends_on: !reset {}
  worker:
    network_mode: host
    environment:
${indent(appEnv, 6)}
${afterMigrate}
  web:
    network_mode: host
    # Host networking publishes nothing: the server listens on WEB_PORT itself.
    ports: !reset []
    environment:
${indent([...appEnv, `PORT: "${port}"`], 6)}
${afterMigrate}
  gateway:
    network_mode: host
    ports: !reset []
    environment:
      GATEWAY_UPSTREAMS: "127.0.0.1:${port}"
      GATEWAY_LISTEN: "${gatewayPort}"
      GATEWAY_PURGE_LISTEN: "${purgePort}"
      GATEWAY_PURGE_FROM: "127.0.0.1"
`;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(testServerUrl(), { migrate: false });
  sink = await startMailSink();
  const [port, gatewayPort, purgePort] = [await freePort(), await freePort(), await freePort()];
  // APP_URL is left to compose.yaml's default: mailed links must follow WEB_PORT alone.
  baseUrl = `http://localhost:${port}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  writeFileSync(envFile, `AUTH_SECRET=${randomBytes(33).toString("base64")}\nWEB_PORT=${port}\nLOG_LEVEL=info\n`);
  writeFileSync(overrideFile, overrideYaml(port, sink.url, gatewayPort, purgePort));
});

afterAll(async () => {
  // Whatever a failed step left behind: containers and volumes of this project only.
  await run(cli, composeArgs(["down", "--volumes", "--timeout", "5"]), { cwd: REPO_ROOT, timeoutMs: 120_000 });
  await sink?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl).catch(() => {});
  await deleteRedisPrefix(REDIS_URL, prefix).catch(() => {});
  rmSync(workDir, { recursive: true, force: true });
});

describe("the images and compose.yaml", () => {
  it("builds the images with BuildKit from the Dockerfiles compose.yaml names", async () => {
    const config = JSON.parse((await compose(["config", "--format", "json"])).stdout) as { services: Record<string, ComposeService> };
    const { migrate, worker, web, gateway } = config.services;
    expect(migrate?.image, "migrate runs the worker image").toBe(worker?.image);
    for (const service of [worker!, web!, gateway!]) {
      const started = Date.now();
      say(`building ${service.image} from ${service.build!.dockerfile}`);
      // Host network: the engine has no bridge, and `npm ci` needs the registry.
      await docker(["buildx", "build", "--network", "host", "--progress", "plain", "--load", "-f", service.build!.dockerfile, "-t", service.image!, service.build!.context], {
        timeoutMs: 1_800_000,
      });
      say(`built ${service.image} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
  });

  it("migrates, then serves with a healthy web container and a live worker", async () => {
    // A second early: the engine's clock is this machine's, and the events below start from here.
    upAt = new Date(Date.now() - 1_000).toISOString();
    await compose(["up", "--detach", "--no-build"], { timeoutMs: 180_000 });

    const migrate = await poll("the migrate container to finish", async () => (await containers()).find((c) => c.Service === "migrate" && c.State === "exited"), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(migrate.ExitCode, await logs()).toBe(0);
    const migrateLog = (await compose(["logs", "--no-color", "migrate"])).stdout;
    expect(migrateLog).toMatch(/[1-9]\d* new migration\(s\) applied/);

    await poll("GET /api/health to answer 200 with one live worker", async () => {
      const { status, body } = await health();
      return status === 200 && body.workers?.alive === 1 ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 }).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await logs()}`);
    });

    // The images' own HEALTHCHECKs, as Docker runs them (the web's first after its 15 s interval).
    for (const name of ["web", "gateway"]) {
      const container = (await containers()).find((c) => c.Service === name)!;
      await poll(`the ${name} container's HEALTHCHECK to report healthy`, async () => {
        const { stdout } = await docker(["inspect", "--format", "{{.State.Health.Status}}", container.Name]);
        return stdout.trim() === "healthy" ? true : undefined;
      }, { timeoutMs: 90_000, intervalMs: 1_000 });
    }
  });

  it("counts two live workers after `up --scale worker=2`", async () => {
    await compose(["up", "--detach", "--no-build", "--scale", "worker=2"], { timeoutMs: 180_000 });
    const workers = (await containers()).filter((c) => c.Service === "worker" && c.State === "running");
    expect(workers).toHaveLength(2);
    // Two containers on the host network share a host name and pid 1: the ids must still differ.
    await poll("health to count 2 live workers", async () => ((await health()).body.workers?.alive === 2 ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
  });

  it("signs a writer up through the mailed link, then processes and publishes a post", async () => {
    const client = new WebClient();
    const registered = await client.mutation<{ status: string }>(baseUrl, "users.register", writer);
    expect(registered.status).toBe("verification-sent");
    const link = await sink!.waitForLink(writer.email, "/verify-email");
    // APP_URL was not set: the link follows WEB_PORT (compose.yaml's default).
    expect(link.origin).toBe(baseUrl);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    await client.confirmEmail(baseUrl, link.searchParams.get("token")!, writer.password);

    const created = await client.mutation<OwnPost>(baseUrl, "posts.create", { title: "Built and shipped", markdown: "# Hello\n\nFrom **a container**." });
    await poll("the post to be processed", async () => {
      const post = await client.query<OwnPost>(baseUrl, "posts.byId", { id: created.id });
      if (post.status === "failed") throw new Error(`processing failed: ${post.error}`);
      return post.status === "ready" ? post : undefined;
    }, { timeoutMs: 60_000 });
    await client.mutation(baseUrl, "posts.publish", { id: created.id });
    const published = await poll("the post to be published", async () => {
      const post = await client.query<OwnPost>(baseUrl, "posts.byId", { id: created.id });
      return post.status === "ready" && post.publishedVersion === post.version ? post : undefined;
    }, { timeoutMs: 60_000 });

    const reader = await fetch(`${baseUrl}/@${writer.username}/${published.slug}`);
    expect(reader.status).toBe(200);
    expect(await reader.text()).toContain("<strong>a container</strong>");

    // Through the gateway: stored after the first read, and purged when the writer publishes an edit.
    const postUrl = `${gatewayUrl}/@${writer.username}/${published.slug}`;
    const read = async () => {
      const res = await fetch(postUrl);
      return { status: res.status, cache: res.headers.get("x-cache-status"), body: await res.text() };
    };
    expect(await read()).toMatchObject({ status: 200, body: expect.stringContaining("<strong>a container</strong>") });
    await poll("the gateway to serve the post from its cache", async () => ((await read()).cache === "HIT" ? true : undefined), { timeoutMs: 30_000, intervalMs: 500 });
    const edited = await client.mutation<OwnPost>(baseUrl, "posts.update", { id: created.id, version: published.version, markdown: "# Hello\n\nFrom **an edited container**." });
    await poll("the edit to be processed", async () => {
      const post = await client.query<OwnPost>(baseUrl, "posts.byId", { id: created.id });
      return post.status === "ready" && post.processedVersion === edited.version ? true : undefined;
    }, { timeoutMs: 60_000 });
    await client.mutation(baseUrl, "posts.publish", { id: created.id });
    await poll("the gateway to serve the edit (the web purged its copy)", async () => ((await read()).body.includes("<strong>an edited container</strong>") ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  });

  it("stops with `docker compose down`: every container exits 0, none was restarted", async () => {
    const running = (await containers()).filter((c) => c.State === "running");
    expect(running.map((c) => c.Service).sort()).toEqual(["gateway", "web", "worker", "worker"]);
    for (const c of running) {
      const { stdout } = await docker(["inspect", "--format", "{{.RestartCount}}", c.Name]);
      expect(Number(stdout.trim()), `${c.Name} restarted`).toBe(0);
    }

    await compose(["down", "--volumes"], { timeoutMs: 120_000 });
    expect(await containers()).toEqual([]);

    // The engine's record of every container of this run stopping: migrate's exits (one per `up`), then down's.
    const until = new Date().toISOString();
    const { stdout } = await docker(["events", "--since", upAt, "--until", until, "--filter", `label=com.docker.compose.project=${project}`, "--filter", "event=die", "--format", "{{json .Actor.Attributes}}"]);
    const exits = stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { name: string; exitCode: string; "com.docker.compose.service": string });
    const services = exits.map((e) => e["com.docker.compose.service"]);
    expect(services.filter((s) => s !== "migrate").sort()).toEqual(["gateway", "web", "worker", "worker"]);
    expect(services).toContain("migrate");
    for (const e of exits) expect(e.exitCode, `${e.name} exit code`).toBe("0");
  });
});
