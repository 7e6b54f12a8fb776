// End-to-end tests: the production build, a real worker, PostgreSQL and Redis, driven in Debian's
// Chromium (browsers cannot be downloaded here: `apt-get install -y chromium`, see .ci/run).
// Run with `npm run test:e2e`, which builds first; scripts/e2e-server.ts serves the build.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

import { chromiumLaunchOptions } from "./scripts/chromium";

// Mail of this run goes to files here (scripts/e2e-server.ts passes it to the app as MAIL_OUTBOX_DIR;
// tests read sign-up and reset links from it). Made once by the runner; its workers inherit the variable.
process.env.E2E_MAIL_OUTBOX_DIR ||= mkdtempSync(path.join(tmpdir(), "inkwell-e2e-outbox-"));

const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  // One server, one database: tests run in order, in one worker.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: chromiumLaunchOptions,
      },
    },
  ],
  webServer: {
    command: "tsx scripts/e2e-server.ts",
    // Answers 200 only when Postgres and Redis do, so tests start against a working stack.
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
