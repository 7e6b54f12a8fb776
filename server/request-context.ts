import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// Carries the request id from an API call into everything it causes: its log lines, the job it
// enqueues, and the worker's log lines for that job.

export interface RequestContext {
  requestId: string;
  jobId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** An incoming X-Request-Id from a trusted proxy is kept if it looks sane; otherwise a new one is made. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  return incoming && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
