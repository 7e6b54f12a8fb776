import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database; only the schema files.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./server/users/schema.ts", "./server/posts/schema.ts"],
  out: "./drizzle",
  schemaFilter: ["users", "posts"],
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/inkwell" },
  strict: true,
  verbose: true,
});
