import path from "node:path";

// What every scenario needs to know about this run.

export interface BenchContext {
  /** The repository root (cwd of the worker and of the probes). */
  root: string;
  /**
   * Where `next start` runs: the repository root, unless BENCH_APP_DIR names another checkout with its own
   * production build (for when the shared .next cannot be built; the bench says so in its notes).
   */
  appDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  authSecret: string;
  /** Child process logs and scratch files for this run (under the OS temp dir). */
  logDir: string;
  /** Shorter phases, for trying the bench out; the committed numbers come from a full run. */
  quick: boolean;
  log: (message: string) => void;
}

/** Seconds of a measured phase: the full value, or a third of it (at least 2 s) with --quick. */
export function phaseMs(ctx: BenchContext, fullSeconds: number): number {
  return Math.round((ctx.quick ? Math.max(2, fullSeconds / 3) : fullSeconds) * 1000);
}

/** The environment of every app process (web, worker) and of the in-process server modules. */
export function appEnv(ctx: BenchContext, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix,
    AUTH_SECRET: ctx.authSecret,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // Sign-up links go to files (the bench's writers follow them); never to a real mail server.
    MAIL_OUTBOX_DIR: benchOutboxDir(ctx),
    // The bench's writers are many clients on one machine: each sends an X-Forwarded-For of its own,
    // as a proxy would add, so the per-address sign-up limit counts them apart.
    TRUSTED_PROXIES: "1",
  };
  delete env.SMTP_URL;
  delete env.SKIP_ENV_VALIDATION;
  delete env.DATABASE_REPLICA_URLS;
  // After the deletions: a scenario may point a worker at its own SMTP sink (the newsletter scenario).
  return { ...env, ...extra };
}

/** Where the bench's worker writes mail (inside this run's scratch directory). */
export function benchOutboxDir(ctx: BenchContext): string {
  return path.join(ctx.logDir, "outbox");
}

export function binPath(ctx: BenchContext, name: string): string {
  return path.join(ctx.root, "node_modules", ".bin", name);
}
