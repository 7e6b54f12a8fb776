// Unit and integration tests (Playwright's end-to-end tests live in tests/e2e, see playwright.config.ts).
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // The tsconfig `@/*` path. A regex, so scoped packages such as @trpc/server are left alone.
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside a React Server Components bundle; tests call server modules directly.
      { find: /^server-only$/, replacement: path.join(root, "node_modules/server-only/empty.js") },
    ],
  },
  test: {
    root,
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses; let Vite
    // resolve it (route-handler tests import the auth config).
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
    environment: "node",
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // Creates one migrated database and a Redis key prefix per run; sets DATABASE_URL etc. for the tests.
    globalSetup: ["tests/setup/global-setup.ts"],
    // Integration test files share that one database and queue: run files one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
