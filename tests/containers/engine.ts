// A Docker engine for the container tests: the one already running (DOCKER_HOST or the default
// socket), or Debian's docker.io started here with no network of its own (host networking only) and
// a fixed data root, so the layer cache survives between runs on the same machine. Compose v2 and
// buildx come from the CLI when it has them, else from Debian trixie's packages (a debootstrap root,
// cached under CACHE_DIR), as ../shared/notes/containers-here.md records.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { hasCommand, run, runOrThrow, say } from "./shell";

/** Downloads and built roots kept between runs (stand-in base image, CLI plugins, Node 22). */
export const CACHE_DIR = process.env.INKWELL_CONTAINERS_CACHE || "/var/cache/inkwell-containers";
/** The engine's images and build cache when this test starts the engine: on local disk, kept between runs. */
export const DATA_ROOT = process.env.INKWELL_DOCKER_DATA_ROOT || "/var/lib/inkwell-docker";
const RUN_DIR = "/run/inkwell-docker";
const OWN_SOCKET = `unix://${RUN_DIR}/docker.sock`;
const PLUGIN_CONFIG_DIR = path.join(CACHE_DIR, "docker-config");
export const DEBIAN_MIRROR = process.env.INKWELL_DEBIAN_MIRROR || "http://deb.debian.org/debian";
/** Compose's `!reset` (used by the override) arrived in 2.24. */
const MIN_COMPOSE = [2, 24];

export interface Engine {
  /** The docker CLI binary and the environment every docker command of the test uses. */
  cli: string;
  env: NodeJS.ProcessEnv;
  /** How it was found, for the log ("started here", "DOCKER_HOST", "default socket"). */
  description: string;
  /** Stops the engine if this run started it; leaves a found one alone. */
  stop(): Promise<void>;
}

/** apt-get install, once per run, only what is missing (as root: CI runs as root). */
async function aptInstall(packages: string[]): Promise<void> {
  say(`installing Debian packages: ${packages.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await runOrThrow("apt-get", ["update"], { env, timeoutMs: 300_000 });
  await runOrThrow("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env, timeoutMs: 600_000 });
}

/** Debian's docker.io and debootstrap when missing (debootstrap: for the stand-in and the plugins). */
export async function ensureDebianTools(needed: { engine: boolean; debootstrap: boolean }): Promise<void> {
  const missing: string[] = [];
  if (needed.engine && !(await hasCommand("dockerd"))) missing.push("docker.io");
  if (needed.debootstrap && !(await hasCommand("debootstrap"))) missing.push("debootstrap");
  if (missing.length > 0) await aptInstall(missing);
}

function cliBinary(): string {
  // docker.io's own client: the newer one in /usr/local/bin on these machines has no plugins and
  // falls back to the legacy builder, which refuses RUN --mount.
  if (process.env.DOCKER_CLI) return process.env.DOCKER_CLI;
  return existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
}

async function answers(cli: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await run(cli, ["version", "--format", "{{.Server.Version}}"], { env, timeoutMs: 15_000 });
  return result.code === 0 && result.stdout.trim().length > 0;
}

async function startOwnEngine(cli: string, env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  mkdirSync(RUN_DIR, { recursive: true });
  mkdirSync(DATA_ROOT, { recursive: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const logFile = path.join(CACHE_DIR, "dockerd.log");
  const log = openSync(logFile, "a");
  say(`starting dockerd (data root ${DATA_ROOT}, log ${logFile})`);
  // No bridge, NAT or iptables rules: containers and builds use the host's network only. Niced: the
  // builds run inside the engine, on a small machine shared with other work.
  const daemon = spawn(
    "nice",
    [
      "-n",
      "10",
      "dockerd",
      `--host=${OWN_SOCKET}`,
      `--data-root=${DATA_ROOT}`,
      `--exec-root=${RUN_DIR}/exec`,
      `--pidfile=${RUN_DIR}/dockerd.pid`,
      "--bridge=none",
      "--iptables=false",
      "--ip6tables=false",
      "--ip-masq=false",
      "--ip-forward=false",
      "--storage-driver=overlay2",
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  let exited = false;
  daemon.once("exit", () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await answers(cli, env))) {
    if (exited || Date.now() > deadline) {
      daemon.kill("SIGKILL");
      throw new Error(`dockerd did not start; the end of ${logFile}:\n${readFileSync(logFile, "utf8").slice(-3_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return async () => {
    if (exited) return;
    say("stopping dockerd");
    const gone = new Promise((resolve) => daemon.once("exit", resolve));
    daemon.kill("SIGTERM");
    const timer = setTimeout(() => daemon.kill("SIGKILL"), 30_000);
    await gone;
    clearTimeout(timer);
  };
}

function versionAtLeast(text: string, minimum: number[]): boolean {
  const parts = (/(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number);
  if (parts.length < 2) return false;
  return parts[0]! > minimum[0]! || (parts[0] === minimum[0] && parts[1]! >= minimum[1]!);
}

async function hasPlugins(cli: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const compose = await run(cli, ["compose", "version", "--short"], { env, timeoutMs: 15_000 });
  const buildx = await run(cli, ["buildx", "version"], { env, timeoutMs: 15_000 });
  return compose.code === 0 && versionAtLeast(compose.stdout, MIN_COMPOSE) && buildx.code === 0;
}

/**
 * Removes a debootstrap root, unmounting first whatever debootstrap left mounted inside it (/proc,
 * /sys after an interrupted run): a recursive delete must never reach into the host's /proc.
 */
export async function removeRoot(root: string): Promise<void> {
  const mounts = readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((point) => point.startsWith(`${root}/`))
    .sort()
    .reverse();
  for (const point of mounts) await runOrThrow("umount", ["-l", point]);
  rmSync(root, { recursive: true, force: true });
}

/**
 * Compose v2 and buildx as CLI plugins from Debian trixie (bookworm has Compose v1 only): a minimal
 * trixie root with the two packages, the plugin binaries copied out, the root removed.
 */
async function installTrixiePlugins(): Promise<void> {
  await ensureDebianTools({ engine: false, debootstrap: true });
  const root = path.join(CACHE_DIR, "trixie-root");
  await removeRoot(root);
  say("fetching Compose v2 and buildx from Debian trixie (debootstrap, about two minutes)");
  await runOrThrow(
    "debootstrap",
    ["--variant=minbase", "--include=docker-compose,docker-buildx", "trixie", root, DEBIAN_MIRROR],
    { timeoutMs: 900_000 },
  );
  const pluginDir = path.join(PLUGIN_CONFIG_DIR, "cli-plugins");
  mkdirSync(pluginDir, { recursive: true });
  for (const plugin of ["docker-compose", "docker-buildx"]) {
    const source = path.join(root, "usr/libexec/docker/cli-plugins", plugin);
    if (!existsSync(source)) throw new Error(`trixie's packages did not install ${source}`);
    copyFileSync(source, path.join(pluginDir, plugin));
  }
  await removeRoot(root);
}

/** Finds or starts an engine, with Compose v2 and buildx available to `cli`. */
export async function ensureEngine(): Promise<Engine> {
  const cli = cliBinary();
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_BUILDKIT: "1" };
  let description: string;
  let stop = async () => {};
  if (process.env.DOCKER_HOST && (await answers(cli, env))) {
    description = `DOCKER_HOST (${process.env.DOCKER_HOST})`;
  } else if (!process.env.DOCKER_HOST && existsSync("/var/run/docker.sock") && (await answers(cli, env))) {
    description = "the default socket";
  } else {
    if (process.getuid?.() !== 0) {
      throw new Error("No Docker engine answers (DOCKER_HOST, /var/run/docker.sock). Start one, or run as root so the test can install and start Debian's docker.io.");
    }
    await ensureDebianTools({ engine: true, debootstrap: false });
    env.DOCKER_HOST = OWN_SOCKET;
    // A previous run's engine still up (same pidfile and data root): use it, leave it running.
    if (await answers(cli, env)) {
      description = `dockerd already running on ${OWN_SOCKET}`;
    } else {
      stop = await startOwnEngine(cli, env);
      description = `dockerd started here on ${OWN_SOCKET}`;
    }
  }

  if (!(await hasPlugins(cli, env))) {
    env.DOCKER_CONFIG = PLUGIN_CONFIG_DIR;
    if (!(await hasPlugins(cli, env))) {
      await installTrixiePlugins();
      if (!(await hasPlugins(cli, env))) throw new Error(`Compose v2 (≥ ${MIN_COMPOSE.join(".")}) and buildx are not usable from ${PLUGIN_CONFIG_DIR}`);
    }
  }
  const compose = await runOrThrow(cli, ["compose", "version", "--short"], { env });
  say(`engine: ${description}; Compose ${compose.stdout.trim()}`);
  return { cli, env, description, stop };
}
