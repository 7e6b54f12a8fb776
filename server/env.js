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
  // How long a stopping web server waits for requests in flight (live-status streams never end) before
  // it exits anyway; keep it below the orchestrator's kill timeout.
  WEB_SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // On SIGTERM, how long the web server goes on serving (its readiness probe answering 503) before it
  // stops listening, so a load balancer lets go of it first: longer than the balancer takes to notice
  // (the gateway checks every 0.5 s). Part of WEB_SHUTDOWN_DRAIN_MS, not added to it.
  WEB_DEREGISTER_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
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
  // Shared caches to purge when a post or profile changes (server/cache/purge.ts): comma-separated base
  // URLs of gateways that take an HTTP PURGE per address (gateway/nginx.conf), e.g. http://127.0.0.1:8080.
  CDN_PURGE_URLS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim().replace(/\/+$/, "")).filter(Boolean) : []))
    .pipe(z.array(z.string().url("each must be a gateway's base URL such as http://127.0.0.1:8080"))),
  // The web process's own cache of public pages (server/cache/origin-cache.ts), in megabytes; 0 turns it off.
  ORIGIN_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
  // Bearer token for the operators' endpoints: /api/metrics and the full /api/health report. Unset: they
  // are closed (the public /api/health answers its status only).
  METRICS_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -hex 32)").optional(),
  ),
  // Images (server/media). Storage: a local folder by default; `s3` for production (credentials from the
  // AWS SDK's usual chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role, …).
  MEDIA_STORAGE: z.enum(["local", "s3"], "must be local (a folder, MEDIA_LOCAL_DIR) or s3 (S3_BUCKET)").default("local"),
  MEDIA_LOCAL_DIR: z.string().min(1).default(".data/media"),
  S3_BUCKET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(3).max(63).optional()),
  S3_REGION: z.string().min(1).default("us-east-1"),
  // An S3-compatible endpoint (MinIO, a test server); unset for AWS itself.
  S3_ENDPOINT: z.preprocess((v) => (v === "" ? undefined : v), z.string().url("must be a URL such as http://127.0.0.1:9000").optional()),
  S3_FORCE_PATH_STYLE: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
  // Uploads larger than this are refused before anything is stored (20 MB).
  MEDIA_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(20 * 1024 * 1024),
  // Images with more pixels (all frames) are refused before decoding: decompression bombs.
  MEDIA_MAX_PIXELS: z.coerce.number().int().min(10_000).max(1_000_000_000).default(100_000_000),
  // Storage per writer, originals plus variants (1 GiB).
  MEDIA_QUOTA_BYTES: z.coerce.number().int().min(1024).default(1024 ** 3),
  MEDIA_UPLOADS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(120),
  // Remote copies never reach private, loopback or link-local addresses, except these ranges
  // (comma-separated CIDRs; tests allow 127.0.0.0/8 to use a local server).
  MEDIA_REMOTE_ALLOWED_RANGES: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : []))
    .pipe(z.array(z.string().regex(/^[0-9a-fA-F.:]+\/\d{1,3}$/, "must be CIDR ranges such as 127.0.0.0/8,10.0.0.0/8"))),
  MEDIA_REMOTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
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
  // Import and export (server/portability): where uploaded archives and built exports are kept, the
  // largest upload accepted (refused from its Content-Length before it is read), how long a download link works.
  PORTABILITY_DIR: z.string().min(1).default(".data/portability"),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(2 * 1024 ** 3).default(100 * 1024 ** 2),
  EXPORT_LINK_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(48),
  // Newsletters (server/newsletter): mails a second across all workers (an SES account's limit), SMTP
  // connections each worker keeps open for them, and recipients per batch job.
  NEWSLETTER_SEND_RATE: z.coerce.number().int().min(1).max(100_000).default(50),
  NEWSLETTER_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  NEWSLETTER_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const envSchema = envObject.superRefine((v, ctx) => {
  if (v.NODE_ENV === "production" && !v.SMTP_URL && !v.MAIL_OUTBOX_DIR) {
    ctx.addIssue({
      code: "custom",
      path: ["SMTP_URL"],
      message: "is required in production (sign-up and password reset send mail); or set MAIL_OUTBOX_DIR to write mail to files",
    });
  }
  if (v.MEDIA_STORAGE === "s3" && !v.S3_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when MEDIA_STORAGE is s3" });
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
