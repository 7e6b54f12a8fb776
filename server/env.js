// The one validated view of the environment. Imported by next.config.mjs, drizzle.config.ts, the
// worker and the run scripts, so a bad configuration fails at start rather than at the first request.
// Plain JS (type-checked through JSDoc) because next.config.mjs cannot import TypeScript.
import { z } from "zod";

const postgresUrl = z
  .string()
  .url("must be a URL such as postgres://user:pass@host:5432/db")
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://");

const envObject = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: postgresUrl,
  // Comma-separated read replicas; reads go there, writes and read-your-own-writes stay on the primary.
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(postgresUrl)),
  // Connections per process (the web app and each worker have their own pool).
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z
    .string()
    .url("must be a URL such as redis://127.0.0.1:6379")
    .refine((v) => /^rediss?:\/\//.test(v), "must start with redis:// or rediss://"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 33)"),
  APP_URL: z.string().url("must be the public URL of the app, such as http://localhost:3000").default("http://localhost:3000"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // BullMQ key prefix. The braces are a Redis Cluster hash tag: all queue keys land in one slot.
  QUEUE_PREFIX: z.string().min(1).default("{inkwell}"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // The worker's CPU niceness (0 = normal, 19 = lowest). Rendering is background work: where the worker
  // shares cores with the web server (one machine, `npm start`), saves and page views go first and the
  // worker takes what they leave. Raising niceness needs no privileges; 0 leaves the process alone.
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  // How long a worker's claim on a job lasts without renewal: after a crash (SIGKILL, power loss) the
  // job is handed to another worker within about this time plus the stalled-check interval.
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  // Fault injection for the crash tests only: hold each job this long before rendering. Keep 0.
  WORKER_FAULT_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  // Benchmark-only: process posts inside the save request instead of the worker, to measure what the
  // asynchronous design saves. Never set it in production.
  BENCH_INLINE_PROCESSING: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
  // How long a stopping web server waits for requests in flight (live-status streams never end) before
  // it exits anyway; keep it below the orchestrator's kill timeout.
  WEB_SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // Comma-separated emails of operators, who may open the queue dashboard at /api/admin/queues.
  ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : [])),
  // Changes through the queue dashboard (retry, add, clean, pause): off unless an operator turns them on.
  ADMIN_QUEUE_WRITES: z
    .enum(["0", "1"], "must be 0 (read-only dashboard) or 1 (operators may change the queues)")
    .default("0")
    .transform((v) => v === "1"),
  // Reverse proxies in front of the web (load balancer, CDN). 0: none, and the client address used for
  // rate limits is the connection's own (X-Forwarded-For is the client's to forge). N: the address is
  // taken N entries from the right of X-Forwarded-For, the part our own proxies appended.
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // Bearer token for the operators' endpoints: /api/metrics and the full /api/health report. Unset: they
  // are closed (the public /api/health answers its status only).
  METRICS_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -hex 32)").optional(),
  ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Outbound mail (verification, password reset, email change). Sent by the worker, never the web.
  SMTP_URL: z
    .preprocess((v) => (v === "" ? undefined : v), z.string()
    .url("must be a URL such as smtp://user:pass@smtp.example.com:587")
    .refine((v) => /^smtps?:\/\//.test(v), "must start with smtp:// or smtps://")
    .optional()),
  MAIL_FROM: z.string().min(3).default("InkWell <no-reply@localhost>"),
  // Without SMTP_URL, mail is written here as .eml + .json files and the link is logged (development,
  // tests). Required explicitly in production without SMTP_URL, so mail is never silently dropped.
  MAIL_OUTBOX_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
});

export const envSchema = envObject.superRefine((v, ctx) => {
  if (v.NODE_ENV === "production" && !v.SMTP_URL && !v.MAIL_OUTBOX_DIR) {
    ctx.addIssue({
      code: "custom",
      path: ["SMTP_URL"],
      message: "is required in production (sign-up and password reset send mail); or set MAIL_OUTBOX_DIR to write mail to files",
    });
  }
});

/** @typedef {z.infer<typeof envSchema>} Env */

/**
 * Parses an environment, throwing one error that names every missing or malformed variable.
 * @param {Record<string, string | undefined>} source
 * @returns {Env}
 */
export function parseEnv(source) {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid InkWell configuration:\n${lines.join("\n")}\nSee .env.example and README.md#configuration.`);
  }
  return result.data;
}

// `next build` evaluates server modules without a runtime configuration; it sets SKIP_ENV_VALIDATION.
// Nothing connects at import time, so the build never needs real values.
const skip = process.env.SKIP_ENV_VALIDATION === "1";

/** @type {Env} */
export const env = skip
  ? /** @type {Env} */ (/** @type {unknown} */ ({ ...envObject.partial().parse({}), ...process.env }))
  : parseEnv(process.env);
