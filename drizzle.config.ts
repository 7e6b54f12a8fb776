import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database; only the schema files.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./server/users/schema.ts", "./server/posts/schema.ts", "./server/media/schema.ts", "./server/portability/schema.ts", "./server/newsletter/schema.ts"],
  out: "./drizzle",
  schemaFilter: ["users", "posts", "media", "portability", "newsletter"],
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/inkwell" },
  strict: true,
  verbose: true,
});
