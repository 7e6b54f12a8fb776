import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
  {
    plugins: { drizzle },
    rules: {
      // An update or delete without a where clause rewrites every row: never intended here.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "readDb"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "readDb"] }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["warn", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain throws AppError (server/errors.ts); only the transports know tRPC (README, Architecture).
    files: ["server/**/*.ts"],
    ignores: ["server/api/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@trpc/server", message: "Services throw AppError (server/errors.ts); server/api maps it to tRPC and REST." }] },
      ],
    },
  },
]);
