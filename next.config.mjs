// Validates the environment when the server starts (see server/env.js).
import "./server/env.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // Native or worker-thread packages stay out of the server bundle and load from node_modules.
  serverExternalPackages: ["@node-rs/argon2", "sharp", "bullmq", "ioredis", "postgres", "@bull-board/api", "@bull-board/hono", "@bull-board/ui", "piscina"],
  // Bull Board's UI (templates and static assets) is read from disk at run time. The key is a glob
  // matched against the route, so "[[...path]]" would be a character class: "*" matches that segment.
  // piscina starts its render threads from its own dist/worker.js (see server/render/pool.ts), which the
  // tracer cannot see through the path it computes.
  outputFileTracingIncludes: {
    "/api/admin/queues/*": ["./node_modules/@bull-board/ui/package.json", "./node_modules/@bull-board/ui/dist/**"],
    "/api/trpc/*": ["./node_modules/piscina/package.json", "./node_modules/piscina/dist/**"],
    "/api/v1/*": ["./node_modules/piscina/package.json", "./node_modules/piscina/dist/**"],
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // No framing (clickjacking), no plugins, no <base> hijack, forms post only to us.
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
