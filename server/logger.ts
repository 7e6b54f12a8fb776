import pino from "pino";
import { requestContext } from "./request-context";

// Structured JSON logs for the web server and the worker alike; the worker adds `component: "worker"`.
// Every line written inside a request or a job carries its `requestId` (and `jobId`) automatically.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "inkwell", pid: process.pid },
  mixin: () => {
    const context = requestContext.getStore();
    return context ? { ...context } : {};
  },
});
