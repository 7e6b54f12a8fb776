import { randomInt, randomUUID } from "node:crypto";
import { createCaller } from "@/server/api/root";
import type { Session } from "@/server/api/trpc";
import { closeDb } from "@/server/db";
import { closeProducer } from "@/server/jobs/producer";
import { closeStatusFeed } from "@/server/jobs/status-feed";
import { closeRateLimits } from "@/server/security/rate-limit";
import { createPostWorker, type PostWorker, type PostWorkerOptions } from "@/worker/post-worker";
import { afterAll, beforeAll } from "vitest";

// Fixtures build real rows through the real procedures.

/** A client address of its own for each caller, so per-address rate limits never couple tests. */
export const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

export const anonymous = (ip = randomIp()) => createCaller({ session: null, headers: new Headers({ "x-forwarded-for": ip }) });

/** Closes every pool and Redis connection the app modules opened, so the test process can exit. */
export async function closeConnections(): Promise<void> {
  await Promise.all([closeRateLimits(), closeStatusFeed(), closeProducer()]);
  await closeDb();
}

export function callerFor(session: Session) {
  return createCaller({ session, headers: new Headers() });
}

export const PASSWORD = "correct horse battery staple";

/** Registers a new writer through users.register and returns their session and caller. */
export async function newWriter(name = "Writer") {
  const tag = randomUUID().replaceAll("-", "").slice(0, 12);
  const profile = await anonymous().users.register({
    email: `${name.toLowerCase()}-${tag}@example.com`,
    username: `${name.toLowerCase().slice(0, 10)}_${tag}`,
    displayName: name,
    password: PASSWORD,
  });
  const session: Session = {
    user: { id: profile.id, email: profile.email, username: profile.username, name: profile.displayName },
  };
  return { profile, session, api: callerFor(session) };
}

/** Polls `read` until `done` holds; fails with the last value seen. Never asserts on elapsed time. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/** The TRPCError code a promise rejects with (fails the test if it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

/**
 * Runs an in-process worker for the test file (no sweep: tests drive every job themselves) and closes
 * it and every connection afterwards. Returns a getter, since the worker starts in beforeAll.
 */
export function startWorkerForFile(options: PostWorkerOptions = {}): () => PostWorker {
  let worker: PostWorker | undefined;
  beforeAll(async () => {
    worker = createPostWorker({ sweepIntervalMs: 0, ...options });
    await worker.worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.close();
    await closeConnections();
  });
  return () => {
    if (!worker) throw new Error("the worker starts in beforeAll");
    return worker;
  };
}
