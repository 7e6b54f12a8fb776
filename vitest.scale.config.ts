// The scale tests (`npm run test:scale`): the production build, copied out of the repository, run as
// separate processes against real PostgreSQL (a primary and a streaming replica of their own) and
// Redis. Needs `npm run build` first; `npm test` runs them after test:e2e, which builds.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  test: {
    root,
    environment: "node",
    include: ["tests/scale/**/*.test.ts"],
    globalSetup: ["tests/scale/global-setup.ts"],
    // Each file starts several servers; on two cores they are faster one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
