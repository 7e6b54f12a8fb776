// Where `npm run build` puts the production output and how each process is started from it. One
// place for scripts/run.ts (`npm start`), scripts/e2e-server.ts, the scale tests and, by hand, the
// Dockerfiles' CMDs, so all of them run the same commands.
//
//   .next/standalone/          the web deployable (Dockerfile.web copies exactly this)
//     server.js                Next's standalone server (HOSTNAME, PORT from the environment)
//     check-env.mjs            preloaded with --import: validates the environment before server.js
//     render-thread.mjs        the render pipeline, loaded by the render threads (server/render/pool.ts)
//     public/, .next/static/   copied in by scripts/build-standalone.ts, as Next's docs require
//   .next/worker/              the worker deployable (Dockerfile.worker copies exactly this)
//     dist/worker.mjs          worker/index.ts bundled by esbuild
//     dist/render-thread.mjs   the render pipeline, loaded by the render threads
//     dist/migrate.mjs         scripts/migrate.ts bundled (applies ../drizzle, advisory-locked)
//     drizzle/                 the SQL migrations
//     node_modules/            only the packages left out of the bundles (native code)
//
// Both live under .next/ so `next build` clears them with the rest of the build, and git, tsc and
// ESLint already ignore them.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Not imported from ./services: the build script needs none of its service code.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const STANDALONE_DIR = path.join(REPO_ROOT, ".next", "standalone");
export const WORKER_DIR = path.join(REPO_ROOT, ".next", "worker");

/** Files that must exist for a build to count as complete (checked by `npm start` and the tests). */
export const BUILD_MARKERS = [
  path.join(STANDALONE_DIR, "server.js"),
  path.join(STANDALONE_DIR, "check-env.mjs"),
  path.join(STANDALONE_DIR, "render-thread.mjs"),
  path.join(WORKER_DIR, "dist", "worker.mjs"),
  path.join(WORKER_DIR, "dist", "render-thread.mjs"),
  path.join(WORKER_DIR, "dist", "migrate.mjs"),
];

/** `node` arguments for the web server of a standalone directory (a copy of .next/standalone). */
export function webArgs(standaloneDir: string = STANDALONE_DIR): string[] {
  return ["--import", pathToFileURL(path.join(standaloneDir, "check-env.mjs")).href, path.join(standaloneDir, "server.js")];
}

/** `node` arguments for the worker of a worker directory (a copy of .next/worker). */
export function workerArgs(workerDir: string = WORKER_DIR): string[] {
  return [path.join(workerDir, "dist", "worker.mjs")];
}

/** `node` arguments for the migrations of a worker directory. */
export function migrateArgs(workerDir: string = WORKER_DIR): string[] {
  return [path.join(workerDir, "dist", "migrate.mjs")];
}

/**
 * ChildGroup (scripts/services/child-group.ts) starts commands from node_modules/.bin. `node` is not there, so
 * this is the running node's path relative to that folder: path.join() resolves it back to
 * process.execPath. (Not tsx: production runs the built files on plain node.)
 */
export const NODE_FROM_BIN = path.relative(path.join(REPO_ROOT, "node_modules", ".bin"), process.execPath);
