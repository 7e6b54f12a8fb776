// Runs once per `vitest run`, in the main process, before any test worker starts: the workers
// inherit process.env, so every test file sees this run's own database and queue prefix.
// The database follows TEST_DATABASE (scripts/services/test-database.ts, startTestDatabase): a fresh database on a
// PostgreSQL server, or an embedded PGlite that this process serves until the run ends. Redis:
// REDIS_URL, the one on 127.0.0.1:6379, or a redis-server started for the run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { deleteRedisPrefix, redactUrl, startTestDatabase, startTestRedis, type TestDatabase } from "../../scripts/services";

// Fixed so failures are reproducible; never used outside tests.
const TEST_AUTH_SECRET = "inkwell-test-secret-not-for-production-0123456789";

const log = (message: string) => console.log(`[global-setup] ${message}`);

export default async function setup(): Promise<() => Promise<void>> {
  const redis = await startTestRedis({ log });
  let database: TestDatabase;
  try {
    database = await startTestDatabase({ log });
  } catch (error) {
    await redis.stop().catch(() => {});
    throw error;
  }
  // Braces: a Redis Cluster hash tag, like the default "{inkwell}"; the random part keeps runs apart.
  const queuePrefix = `{inkwell-test-${randomBytes(4).toString("hex")}}`;
  log(`database: ${database.description}; redis: ${redis.description}`);

  // Mail goes to files of this run (the accounts worker renders into it; tests read the links back).
  const outbox = mkdtempSync(path.join(tmpdir(), "inkwell-test-outbox-"));
  // Uploaded archives and built exports of this run (server/portability/storage.ts).
  const portability = mkdtempSync(path.join(tmpdir(), "inkwell-test-portability-"));

  // Uploaded images of this run (local storage), never the developer's .data/media.
  const mediaDir = mkdtempSync(path.join(tmpdir(), "inkwell-test-media-"));

  Object.assign(process.env, {
    MAIL_OUTBOX_DIR: outbox,
    MEDIA_LOCAL_DIR: mediaDir,
    PORTABILITY_DIR: portability,
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: queuePrefix,
    AUTH_SECRET: TEST_AUTH_SECRET,
    APP_URL: process.env.APP_URL || "http://127.0.0.1:3000",
    LOG_LEVEL: process.env.LOG_LEVEL || "silent",
  });
  // Replicas from the developer's shell would point reads at another database.
  delete process.env.DATABASE_REPLICA_URLS;
  delete process.env.SMTP_URL; // tests never mail anyone

  return async () => {
    const problems: string[] = [];
    rmSync(outbox, { recursive: true, force: true });
    rmSync(portability, { recursive: true, force: true });
    rmSync(mediaDir, { recursive: true, force: true });
    await database.stop().catch((error: unknown) => problems.push(`drop ${redactUrl(database.url)}: ${String(error)}`));
    if (!redis.embedded) {
      await deleteRedisPrefix(redis.url, queuePrefix).catch((error: unknown) => problems.push(`clear ${queuePrefix}: ${String(error)}`));
    }
    await redis.stop().catch((error: unknown) => problems.push(`stop redis-server: ${String(error)}`));
    // Reported, not thrown: a cleanup hiccup must not turn a green run red.
    if (problems.length > 0) console.warn(`[global-setup] cleanup incomplete:\n  ${problems.join("\n  ")}`);
  };
}
