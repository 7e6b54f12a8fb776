// Reads what the container images run (the runtime stage of Dockerfile.web / Dockerfile.worker, the
// migrate service of compose.yaml), so the production test runs those exact commands on copies of
// the build instead of a hand-kept duplicate. Docker cannot run here; this keeps the files honest.
import { readFileSync } from "node:fs";
import path from "node:path";

import { REPO_ROOT } from "../../scripts/services";

export interface RuntimeStage {
  workdir: string;
  env: Record<string, string>;
  /** COPY --from=<stage> sources and destinations. */
  copies: { from: string; to: string }[];
  user: string | null;
  healthcheck: string[] | null;
  cmd: string[];
}

/** Instructions of a Dockerfile with comments dropped and `\` continuations joined. */
function instructions(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, " ");
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

function execForm(json: string, where: string): string[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) throw new Error(`${where}: not an exec-form array`);
  return parsed;
}

/** The last stage of a Dockerfile: the image that ships. */
export function readRuntimeStage(dockerfile: string): RuntimeStage {
  const lines = instructions(readFileSync(path.join(REPO_ROOT, dockerfile), "utf8"));
  const from = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const stage: RuntimeStage = { workdir: "/", env: {}, copies: [], user: null, healthcheck: null, cmd: [] };
  for (const line of lines.slice(from + 1)) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = line.slice(keyword.length).trim();
    switch (keyword.toUpperCase()) {
      case "WORKDIR":
        stage.workdir = args;
        break;
      case "ENV":
        for (const pair of rest) {
          const eq = pair.indexOf("=");
          if (eq <= 0) throw new Error(`${dockerfile}: use ENV KEY=value (${line})`);
          stage.env[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      case "COPY": {
        const source = rest.find((r) => r.startsWith("--from="));
        const paths = rest.filter((r) => !r.startsWith("--"));
        if (source && paths.length === 2) stage.copies.push({ from: paths[0]!, to: paths[1]! });
        break;
      }
      case "USER":
        stage.user = args;
        break;
      case "HEALTHCHECK":
        stage.healthcheck = execForm(args.slice(args.indexOf("CMD ") + 4), `${dockerfile} HEALTHCHECK`);
        break;
      case "CMD":
        stage.cmd = execForm(args, `${dockerfile} CMD`);
        break;
    }
  }
  return stage;
}

/** The `command:` of a service in compose.yaml (written as a JSON-style flow sequence). */
export function composeCommand(service: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, "compose.yaml"), "utf8");
  const block = new RegExp(`^  ${service}:\\n((?:    .*\\n|\\s*\\n)+)`, "m").exec(text)?.[1];
  const command = block && /^ {4}command:\s*(\[.*\])\s*$/m.exec(block)?.[1];
  if (!command) throw new Error(`compose.yaml: no command for service ${service}`);
  return execForm(command, `compose.yaml ${service}`);
}

/** `node` in an image is this node; the rest of the command runs unchanged in the copy's folder. */
export function nodeArgs(command: string[]): string[] {
  if (command[0] !== "node") throw new Error(`expected a node command, got ${command.join(" ")}`);
  return command.slice(1);
}
