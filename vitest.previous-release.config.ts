// `npm run test:previous-release` (scripts/previous-release.ts) runs this after the previous release's
// own tests: this release's code beside the previous release's worker. Same setup as vitest.config.ts.
import { defineConfig } from "vitest/config";

import base from "./vitest.config";

export default defineConfig({ ...base, test: { ...base.test, include: ["tests/previous-release/**/*.test.ts"] } });
