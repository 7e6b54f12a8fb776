import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ignore from "ignore";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/services";
import { envSchema } from "@/server/env.js";

// What was found wrong when the images were built and run (issue 18), kept fixed. Docker does not run
// in this suite; these read the files the engine reads.

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const compose = read("compose.yaml");

/** A service's block in compose.yaml (two-space-indented service names under `services:`). */
function service(name: string): string {
  const block = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)+)`, "m").exec(compose)?.[1];
  if (!block) throw new Error(`compose.yaml has no service ${name}`);
  return block;
}

function seconds(value: string | undefined): number {
  const match = /^(\d+)s$/.exec(value ?? "");
  if (!match) throw new Error(`not a duration in seconds: ${value}`);
  return Number(match[1]);
}

describe("Dockerfiles", () => {
  for (const file of ["Dockerfile.web", "Dockerfile.worker"]) {
    it(`${file} needs no frontend image from a registry and runs on Node 22 LTS`, () => {
      const text = read(file);
      expect(text).not.toMatch(/^#\s*syntax=/m);
      expect(text).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    });
  }

  it("Dockerfile.web builds only the web half", () => {
    const text = read("Dockerfile.web");
    expect(text).toMatch(/scripts\/build-standalone\.ts --web-only/);
    expect(text).not.toMatch(/RUN npm run build/);
  });
});

describe("compose.yaml", () => {
  it("gives each process longer to stop than it takes", () => {
    const drainSeconds = envSchema.parse({ DATABASE_URL: "postgres://x@h/d", REDIS_URL: "redis://h", AUTH_SECRET: "x".repeat(32) }).WEB_SHUTDOWN_DRAIN_MS / 1000;
    expect(seconds(/stop_grace_period: (\S+)/.exec(service("web"))?.[1])).toBeGreaterThanOrEqual(drainSeconds + 5);
    // The worker gives up on its jobs in hand after 25 s (worker/index.ts).
    expect(seconds(/stop_grace_period: (\S+)/.exec(service("worker"))?.[1])).toBeGreaterThanOrEqual(30);
  });

  it("derives APP_URL's default from WEB_PORT", () => {
    expect(compose).toMatch(/APP_URL: \$\{APP_URL:-http:\/\/localhost:\$\{WEB_PORT:-3000\}\}/);
  });
});

describe(".dockerignore", () => {
  it("keeps what the build does not read out of the context", () => {
    const patterns = read(".dockerignore").split("\n").map((line) => line.trim());
    for (const pattern of ["tests", "bench", ".ci", "**/*.md", ".git", "node_modules", ".next", ".data", ".env"]) {
      expect(patterns).toContain(pattern);
    }
  });

  // `next build` type-checks every source file the context holds: one that imports a file left out
  // stops the image's build (a generator importing tests/fixtures, a vitest config importing another).
  it("leaves out nothing that a file it keeps imports", () => {
    const excluded = ignore().add(read(".dockerignore"));
    const tracked = execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    const kept = tracked.filter((file) => !excluded.ignores(file) && /\.(ts|tsx|js|mjs)$/.test(file));
    const missing: string[] = [];
    for (const file of kept) {
      for (const [, specifier] of read(file).matchAll(/(?:from|import)\s*\(?\s*["']((?:\.{1,2}|@)\/[^"']+)["']/g)) {
        if (!specifier) continue;
        const base = specifier.startsWith("@/") ? path.join(REPO_ROOT, specifier.slice(2)) : path.resolve(REPO_ROOT, path.dirname(file), specifier);
        const target = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx"].map((ext) => base + ext).find((candidate) => existsSync(candidate) && !candidate.endsWith("/"));
        if (target && excluded.ignores(path.relative(REPO_ROOT, target))) missing.push(`${file} imports ${specifier}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
