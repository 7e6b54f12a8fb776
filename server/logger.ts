import pino from "pino";

// Structured JSON logs for the web server and the worker alike; the worker adds `component: "worker"`.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "inkwell", pid: process.pid },
});
