// Validates the environment when the server starts (see server/env.js).
import "./server/env.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // Native or worker-thread packages stay out of the server bundle and load from node_modules.
  serverExternalPackages: ["@node-rs/argon2", "bullmq", "ioredis", "postgres"],
};

export default nextConfig;
