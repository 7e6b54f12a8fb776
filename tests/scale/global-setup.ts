// Runs once before the scale tests: copies the production build out of the repository, exactly the
// two directories the Dockerfiles copy (.next/standalone → web image, .next/worker → worker image),
// into a temp dir, so the tests run what the images run with no source tree or repo node_modules
// reachable. The test workers inherit the paths through process.env.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { BUILD_MARKERS, STANDALONE_DIR, WORKER_DIR } from "../../scripts/production";
import { REPO_ROOT, redactUrl, requireTestServer, startTestRedis } from "../../scripts/services";
import { missingPostgresBinaries } from "./postgres-cluster";

/** Every symlink under dir must stay inside root: one pointing back into the repo would hide a gap. */
function assertSelfContained(dir: string, root: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const target = realpathSync(full);
      if (!target.startsWith(root + path.sep)) throw new Error(`${full} links outside the copy (${readlinkSync(full)} → ${target})`);
    } else if (entry.isDirectory()) {
      assertSelfContained(full, root);
    }
  }
}

const log = (message: string) => console.log(`[scale-setup] ${message}`);

export default async function setup(): Promise<() => Promise<void>> {
  const missing = BUILD_MARKERS.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `No complete production build (missing ${missing.map((f) => path.relative(REPO_ROOT, f)).join(", ")}). ` +
        "Run `npm run build` first (`npm test` builds in test:e2e before test:scale).",
    );
  }
  // Prerequisites first, so a machine without them learns what to install before anything starts.
  // Unlike the unit, integration and end-to-end tests, this suite cannot run on the embedded PGlite:
  // it runs three migrate processes at once to prove the advisory lock serialises them (on PGlite's
  // one shared session every "session" holds the lock), and it needs a primary and a replica.
  const binaries = missingPostgresBinaries();
  if (binaries) throw new Error(`test:scale: ${binaries}`);
  const server = await requireTestServer(
    "test:scale",
    "production.test.ts runs several migrate processes at once against one server's advisory lock",
  );
  log(`PostgreSQL server for test databases: ${redactUrl(server)}`);

  const redis = await startTestRedis({ log });
  process.env.REDIS_URL = redis.url; // read by support.ts in the test workers, which inherit it
  try {
    return copyBuild(redis.stop);
  } catch (error) {
    await redis.stop().catch(() => {});
    throw error;
  }
}

function copyBuild(stopRedis: () => Promise<void>): () => Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), "inkwell-scale-"));
  if (realpathSync(root).startsWith(REPO_ROOT + path.sep)) throw new Error("the temp dir must be outside the repository");
  // Node resolves packages from parent folders too; none may hold a node_modules that could stand in.
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules"))) throw new Error(`${dir}/node_modules would be visible to the copied build`);
    if (dir === path.dirname(dir)) break;
  }
  const webDir = path.join(root, "web");
  const workerDir = path.join(root, "worker");
  // verbatimSymlinks: Next's standalone output links .next/node_modules/<pkg>-<hash> → ../../node_modules/<pkg>
  // relatively; cpSync would otherwise rewrite them to absolute paths into the repo.
  cpSync(STANDALONE_DIR, webDir, { recursive: true, verbatimSymlinks: true });
  cpSync(WORKER_DIR, workerDir, { recursive: true, verbatimSymlinks: true });
  assertSelfContained(webDir, realpathSync(root));
  assertSelfContained(workerDir, realpathSync(root));
  if (!lstatSync(path.join(webDir, "server.js")).isFile()) throw new Error("copy incomplete");

  process.env.INKWELL_SCALE_WEB_DIR = webDir;
  process.env.INKWELL_SCALE_WORKER_DIR = workerDir;
  return async () => {
    rmSync(root, { recursive: true, force: true });
    await stopRedis();
  };
}
