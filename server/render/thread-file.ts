/** Production bundles ship the render threads' code as this file beside their entry point (server.js, dist/worker.mjs). */
export const BUNDLED_THREAD_FILE = "render-thread.mjs";
