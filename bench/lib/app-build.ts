import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { onCleanup } from "./cleanup";
import { runCommand } from "./processes";

// --private-build: builds the app in a private copy of the working tree (node_modules hard-linked, not
// copied), so the bench neither needs nor touches the repository's shared .next, which other people's
// `next dev`/`next build` may be rewriting at the same moment. Removed again at the end of the run.

const EXCLUDE = ["./node_modules", "./.next", "./.git", "./.data", "./test-results", "./playwright-report", "./blob-report", "./coverage", "./bench/results"];

export async function buildPrivateCopy(root: string, log: (m: string) => void): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "inkwell-bench-app-"));
  onCleanup("private build copy", async () => rmSync(dir, { recursive: true, force: true }));
  log(`copying the working tree to ${dir} and building it there (next build)…`);
  await runCommand(
    "bash",
    ["-c", `set -euo pipefail; tar ${EXCLUDE.map((e) => `--exclude='${e}'`).join(" ")} -cf - . | tar -xf - -C '${dir}'; cp -al node_modules '${dir}/node_modules' 2>/dev/null || ln -s '${root}/node_modules' '${dir}/node_modules'`],
    { cwd: root, timeoutMs: 300_000 },
  );
  await runCommand(path.join(dir, "node_modules", ".bin", "next"), ["build"], {
    cwd: dir,
    env: { ...process.env, SKIP_ENV_VALIDATION: "1", NEXT_TELEMETRY_DISABLED: "1" },
    timeoutMs: 600_000,
  });
  return dir;
}
