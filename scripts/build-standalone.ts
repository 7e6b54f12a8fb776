// The second half of `npm run build`, after `next build`: completes .next/standalone (the web
// deployable) and assembles .next/worker (the worker deployable). See scripts/production.ts for the
// layout. Each directory runs on plain `node` with nothing else from the source tree.
//
//   tsx scripts/build-standalone.ts                after `next build` (npm run build)
//   tsx scripts/build-standalone.ts --worker-only  just .next/worker, no `next build` needed (Dockerfile.worker)
//   tsx scripts/build-standalone.ts --web-only     just .next/standalone, after `next build` (Dockerfile.web)
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build, type BuildOptions } from "esbuild";

import { BUNDLED_THREAD_FILE } from "../server/render/thread-file";
import { BUILD_MARKERS, STANDALONE_DIR, WORKER_DIR } from "./production";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (message: string) => console.log(`[build] ${message}`);

/**
 * Left out of the bundles and copied into .next/worker/node_modules with their installed
 * dependencies: native addons (argon2, sharp), whose platform package (@node-rs/argon2-linux-x64-gnu, @img/sharp-linux-x64, …) is
 * picked at run time, and piscina, which starts its worker threads from its own dist/worker.js. The
 * build must run on the platform the image runs on (the Dockerfiles do).
 */
const WORKER_EXTERNALS = ["@node-rs/argon2", "piscina", "sharp"];
/**
 * Optional native speed-ups that fall back to JavaScript when absent (bullmq's msgpackr). External
 * and not copied, so the fallback is taken cleanly instead of a bundled loader probing wrong paths.
 */
const OPTIONAL_NATIVE = ["msgpackr-extract"];

// Bundled CommonJS code calls require() for Node built-ins and reads __dirname/__filename; an ES
// module has neither. `require` must keep its name (esbuild's require shim looks it up); the others
// get names no bundled module declares, and `define` points the free identifiers at them. A clash
// would be a SyntaxError at start, so main() checks every bundle with `node --check`.
const BANNER = [
  'import { createRequire as __inkwellCreateRequire } from "node:module";',
  'import { dirname as __inkwellPathDirname } from "node:path";',
  'import { fileURLToPath as __inkwellFileURLToPath } from "node:url";',
  "const require = __inkwellCreateRequire(import.meta.url);",
  "const __inkwellFilename = __inkwellFileURLToPath(import.meta.url);",
  "const __inkwellDirname = __inkwellPathDirname(__inkwellFilename);",
].join("\n");

const shared: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  // The oldest Node the bundles run on: the images use 22, development machines and CI may still run 20.19.
  target: "node20",
  // esbuild reads the `@/*` path alias from here.
  tsconfig: path.join(REPO_ROOT, "tsconfig.json"),
  // Readable stack traces in production logs; size does not matter for a server bundle.
  minify: false,
  keepNames: true,
  legalComments: "none",
  banner: { js: BANNER },
  define: { __dirname: "__inkwellDirname", __filename: "__inkwellFilename" },
  // `server-only` throws outside React Server Components; nothing the worker runs imports it today,
  // and if it ever does, the guard has no meaning in a worker process.
  alias: { "server-only": path.join(REPO_ROOT, "node_modules", "server-only", "empty.js") },
  external: [...WORKER_EXTERNALS, ...OPTIONAL_NATIVE],
  logLevel: "warning",
};

/** An entry point given as source, resolved from the repository root. */
function entry(contents: string, outfile: string): BuildOptions {
  return { ...shared, stdin: { contents, resolveDir: REPO_ROOT, sourcefile: path.basename(outfile), loader: "ts" }, outfile };
}

/** Copies node_modules/<name> and, recursively, whichever of its dependencies are installed. */
function copyPackage(name: string, into: string, copied = new Set<string>(), optional = false): void {
  if (copied.has(name)) return;
  const from = path.join(REPO_ROOT, "node_modules", name);
  if (!existsSync(from)) {
    if (optional) return; // another platform's build of a native package
    throw new Error(`${name} is not installed (node_modules/${name}); run npm ci`);
  }
  copied.add(name);
  cpSync(from, path.join(into, "node_modules", name), { recursive: true, dereference: true });
  const pkg = JSON.parse(readFileSync(path.join(from, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  for (const dep of Object.keys(pkg.dependencies ?? {})) copyPackage(dep, into, copied, false);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) copyPackage(dep, into, copied, true);
}

/**
 * The render threads' module (server/render/thread.ts, the pipeline alone), bundled beside an entry
 * point: server/render/pool.ts looks for it next to the running server.js or dist/worker.mjs.
 */
async function buildRenderThread(dir: string): Promise<void> {
  await build({ ...shared, entryPoints: [path.join(REPO_ROOT, "server", "render", "thread.ts")], outfile: path.join(dir, BUNDLED_THREAD_FILE) });
}

async function buildWeb(): Promise<void> {
  if (!existsSync(path.join(STANDALONE_DIR, "server.js"))) {
    throw new Error('.next/standalone/server.js is missing: run `next build` first (next.config.mjs must keep output: "standalone")');
  }
  // Next leaves static assets out of the standalone folder; the server serves them from there.
  cpSync(path.join(REPO_ROOT, ".next", "static"), path.join(STANDALONE_DIR, ".next", "static"), { recursive: true });
  if (existsSync(path.join(REPO_ROOT, "public"))) cpSync(path.join(REPO_ROOT, "public"), path.join(STANDALONE_DIR, "public"), { recursive: true });
  await build(
    entry(
      'import { checkEnvOrExit } from "./scripts/check-env";\nimport { installGracefulShutdown } from "./scripts/web-shutdown";\nimport { installWarmUp } from "./scripts/web-warm-up";\n' +
        'import { installClientAddressHeader } from "./server/security/client-address-header";\n' +
        'import { installOriginCache } from "./server/cache/origin-cache";\n' +
        'await checkEnvOrExit("web");\ninstallClientAddressHeader();\n' +
        // The public pages' cache answers before Next (server/cache/origin-cache.ts).
        'const { env } = await import("./server/env.js");\n' +
        "installOriginCache({ maxBytes: env.ORIGIN_CACHE_MB * 1024 * 1024, redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX,\n" +
        '  log: (message, error) => console.error(JSON.stringify({ level: 50, msg: message, err: String(error) })) });\n' +
        // Not ready for a balancer until the main routes are loaded (scripts/web-warm-up.ts).
        "installWarmUp();\n" +
        // Last: its request hook must see every request, the origin cache's answers included.
        "installGracefulShutdown();\n",
      path.join(STANDALONE_DIR, "check-env.mjs"),
    ),
  );
  await buildRenderThread(STANDALONE_DIR);
  log(`web: ${path.relative(REPO_ROOT, STANDALONE_DIR)} (server.js, check-env.mjs, ${BUNDLED_THREAD_FILE}, public, .next/static)`);
}

async function buildWorker(): Promise<void> {
  // The bundles, the migrations, and the packages the bundles leave external.
  rmSync(WORKER_DIR, { recursive: true, force: true });
  await build(
    entry(
      // Validate first: worker/index.ts starts consuming jobs as soon as it is evaluated.
      'import { checkEnvOrExit } from "./scripts/check-env";\nawait checkEnvOrExit("worker");\nawait import("./worker/index");\n',
      path.join(WORKER_DIR, "dist", "worker.mjs"),
    ),
  );
  await buildRenderThread(path.join(WORKER_DIR, "dist"));
  // scripts/migrate.ts finds ../drizzle from its own location: dist/migrate.mjs → drizzle/.
  await build({ ...shared, entryPoints: [path.join(REPO_ROOT, "scripts", "migrate.ts")], outfile: path.join(WORKER_DIR, "dist", "migrate.mjs") });
  cpSync(path.join(REPO_ROOT, "drizzle"), path.join(WORKER_DIR, "drizzle"), { recursive: true });
  mkdirSync(path.join(WORKER_DIR, "node_modules"), { recursive: true });
  for (const name of WORKER_EXTERNALS) copyPackage(name, WORKER_DIR);

  const size = (file: string) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
  log(
    `worker: ${path.relative(REPO_ROOT, WORKER_DIR)} (dist/worker.mjs ${size(path.join(WORKER_DIR, "dist", "worker.mjs"))}, ` +
      `dist/${BUNDLED_THREAD_FILE}, dist/migrate.mjs, drizzle/, node_modules: ${WORKER_EXTERNALS.join(", ")})`,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const workerOnly = process.argv.includes("--worker-only");
  const webOnly = process.argv.includes("--web-only");
  if (workerOnly && webOnly) throw new Error("give --worker-only or --web-only, not both");
  if (!workerOnly) await buildWeb();
  if (!webOnly) await buildWorker();
  for (const file of BUILD_MARKERS) {
    if (file.endsWith(".mjs") && existsSync(file)) execFileSync(process.execPath, ["--check", file], { stdio: "inherit" });
  }
  log(`done in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(`[build] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
