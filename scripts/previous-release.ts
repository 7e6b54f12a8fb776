// `npm run test:previous-release`: the expand/contract check. During a deploy the previous release
// keeps serving while the new release's migrations run, so the new schema must accept the old code's
// reads and saves. This checks out the release named in .ci/previous-release into a temporary git
// worktree, installs it, replaces its migrations with this tree's, and runs its read and save tests:
// their global setup migrates a fresh test database with what is now in its drizzle/ folder (ours).
// A migration that drops or renames a column the old code uses, or adds a NOT NULL column without a
// default, fails here. Then its worker runs beside this release's code (tests/previous-release/): a
// job enqueued by either release is processed by the other's worker.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { REPO_ROOT, runProcess, startProcess } from "./services";

const CONFIG_FILE = path.join(REPO_ROOT, ".ci", "previous-release");
const log = (message: string) => console.log(`[previous-release] ${message}`);

interface PreviousRelease {
  commit: string;
  tests: string[];
}

/** Reads `commit <ref>` and `tests <file> …` from .ci/previous-release (# starts a comment). */
function readConfig(): PreviousRelease {
  const fields = new Map<string, string[]>();
  for (const line of readFileSync(CONFIG_FILE, "utf8").split("\n")) {
    const words = line.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
    if (words.length > 0) fields.set(words[0]!, words.slice(1));
  }
  const commit = fields.get("commit")?.[0];
  const tests = fields.get("tests") ?? [];
  if (!commit || tests.length === 0) throw new Error(`${CONFIG_FILE} needs a "commit <ref>" line and a "tests <file> …" line.`);
  return { commit, tests };
}

async function git(args: string[], timeoutMs = 120_000): Promise<string> {
  const { code, output } = await runProcess("git", "git", args, { cwd: REPO_ROOT, timeoutMs });
  if (code !== 0) throw new Error(`git ${args.join(" ")} failed:\n${output.trim()}`);
  return output.trim();
}

/** Runs a command in dir with its output shown as it comes; rejects on a non-zero exit. */
async function run(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const proc = startProcess(command, command, args, { cwd: dir, env, output: "inherit" });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${code ?? "by a signal"}) in ${dir}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const { commit: ref, tests } = readConfig();
  let commit: string;
  try {
    commit = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(`The previous release ${ref} (from .ci/previous-release) is not in this clone's history. A shallow clone? Run \`git fetch --unshallow\`.`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "inkwell-previous-release-"));
  log(`checking out ${commit.slice(0, 12)} into ${dir}`);
  await git(["worktree", "add", "--detach", dir, commit]);
  try {
    for (const file of tests) {
      if (!existsSync(path.join(dir, file))) throw new Error(`${file} (from .ci/previous-release) does not exist in ${commit.slice(0, 12)}.`);
    }
    log("installing its dependencies (npm ci)");
    await run(dir, "npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"]);
    // Its tests' global setup migrates their database from drizzle/: with ours in place, the previous
    // release's code runs against the new schema.
    rmSync(path.join(dir, "drizzle"), { recursive: true, force: true });
    cpSync(path.join(REPO_ROOT, "drizzle"), path.join(dir, "drizzle"), { recursive: true });
    // Both steps run even if the first fails: each says something of its own.
    const failures: string[] = [];
    log(`running its ${tests.join(", ")} against this tree's migrations`);
    await run(dir, "npx", ["vitest", "run", ...tests]).catch(() => failures.push("its read and save tests failed on this tree's schema"));
    log("running its worker beside this release's code (tests/previous-release)");
    await run(REPO_ROOT, "npx", ["vitest", "run", "-c", "vitest.previous-release.config.ts"], { ...process.env, PREVIOUS_RELEASE_DIR: dir }).catch(() =>
      failures.push("its worker and this release's did not process each other's jobs"),
    );
    const took = `${Math.round((Date.now() - started) / 1000)} s`;
    if (failures.length > 0) throw new Error(`the previous release (${commit.slice(0, 12)}): ${failures.join("; ")} (${took}; output above).`);
    log(`the previous release's read and save paths and its worker work with this tree (${took})`);
  } finally {
    await git(["worktree", "remove", "--force", dir], 600_000).catch((error: unknown) => log(`could not remove the worktree: ${String(error)}`));
    rmSync(dir, { recursive: true, force: true });
    await git(["worktree", "prune"]).catch(() => {});
  }
}

main().catch((error: unknown) => {
  console.error(`[previous-release] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
