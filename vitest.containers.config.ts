// The container test (`npm run test:containers`): builds the images and runs compose.yaml on a Docker
// engine it finds or starts (tests/containers/engine.ts). Minutes on a first run; see README.md.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  test: {
    root,
    environment: "node",
    include: ["tests/containers/**/*.test.ts"],
    globalSetup: ["tests/containers/global-setup.ts"],
    // The steps build on each other (images, then up, scale, sign-up, down): one file, in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    // Builds on a busy 2-core machine: minutes, not seconds.
    testTimeout: 1_800_000,
    hookTimeout: 2_400_000,
    teardownTimeout: 120_000,
  },
});
