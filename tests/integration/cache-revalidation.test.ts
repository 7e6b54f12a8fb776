import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The reading cache asks its own process's route to drop tags (server/cache/invalidation.ts). In
// development that route may still be compiling when the request arrives; cutting the request short
// made the dev server log `uncaughtException: Error: aborted`. Here a stand-in for the route holds its
// answer, as a compiling route does, and records what reaches it.

interface Received {
  tags: string[];
  aborted: boolean;
  answered: boolean;
  answer: () => void;
}

const received: Received[] = [];
let inFlight = 0;
let mostInFlight = 0;
let server: Server;
let invalidation: typeof import("@/server/cache/invalidation");

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const entry: Received = {
        tags: (JSON.parse(body) as { tags: string[] }).tags,
        aborted: false,
        answered: false,
        answer: () => {
          entry.answered = true;
          inFlight -= 1;
          res.writeHead(204).end();
        },
      };
      // The client going away before the answer is what the dev server reported as "aborted".
      res.on("close", () => {
        if (!res.writableFinished) entry.aborted = true;
      });
      received.push(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The module sends to HOSTNAME:PORT, read when it is first imported.
  process.env.HOSTNAME = "127.0.0.1";
  process.env.PORT = String((server.address() as AddressInfo).port);
  invalidation = await import("@/server/cache/invalidation");
});

afterAll(async () => {
  for (const entry of received) if (!entry.aborted && !entry.answered) entry.answer();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("reading-cache revalidation requests", () => {
  it("waits for a slow route instead of aborting, and sends what arrived meanwhile in one request after it", async () => {
    invalidation.invalidateTags(["public:a"]);
    await waitFor("the first request", () => received.length === 1);

    invalidation.invalidateTags(["public:b"]);
    // Longer than the 5 s the request used to be given before it was aborted.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    invalidation.invalidateTags(["public:c"]);
    expect(received).toHaveLength(1);
    expect(received[0]!.aborted).toBe(false);

    received[0]!.answer();
    await waitFor("the second request", () => received.length === 2);
    expect(received.map((r) => [...r.tags].sort())).toEqual([["public:a"], ["public:b", "public:c"]]);
    received[1]!.answer();
    expect(mostInFlight).toBe(1);
    expect(received.some((r) => r.aborted)).toBe(false);
  }, 20_000);
});
