// The backing services InkWell needs (PostgreSQL, Redis, an auth secret), found or started for
// development, plus throwaway databases for tests and the child processes of the scripts, tests and
// bench. Used by scripts/run.ts, scripts/e2e-server.ts, the test setups and bench/. Nothing here is
// imported by the web app or the worker.
export { redactUrl } from "../migrate";
export { ensureAuthSecret } from "./auth-secret";
export { ChildGroup, type ChildGroupOptions } from "./child-group";
export { deleteRedisPrefix } from "./cleanup";
export { DATA_DIR, REPO_ROOT, type Log, type StartedService } from "./common";
export { embeddedDatabaseOwner, ensureDatabase, type DatabaseService } from "./embedded-postgres";
export { freePort, runProcess, startProcess, stopProcesses, waitForOutput, type ManagedProcess, type ProcessOptions } from "./processes";
export { ensureRedis, localRedisUrl, redisAnswers, startTestRedis } from "./redis";
export {
  createTestDatabase,
  dropTestDatabase,
  localPostgresUrl,
  postgresAnswers,
  requireTestServer,
  startTestDatabase,
  testDatabaseMode,
  testServerUrl,
  type TestDatabase,
  type TestDatabaseMode,
} from "./test-database";
