import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/services";
import { db, transactionThen } from "@/server/db";
import { users } from "@/server/users/schema";
import { closeConnections, newWriter } from "./helpers";

// transactionThen (server/db/index.ts) makes a newsletter's final SMTP "." follow its delivery's COMMIT
// with nothing between: the callback runs right after the COMMIT's bytes are written to PostgreSQL's
// socket, before the answer. It leans on postgres.js's `onexecute` hook, which the library does not
// document. These tests record what goes through the sockets, so an upgrade that stops calling the hook
// (the callback would run late, or never) or writes the COMMIT later (it would run first) fails here.

afterAll(closeConnections);

type Step = { kind: "write" | "read"; text: string } | { kind: "callback" };

const text = (chunk: unknown) => (Buffer.isBuffer(chunk) ? chunk.toString("latin1") : String(chunk));

/**
 * Runs `act` while recording, in order, every socket write of this process, every chunk a socket
 * receives, and the steps `act` notes.
 */
async function recordingSockets(act: (note: (step: Step) => void) => Promise<void>): Promise<Step[]> {
  const steps: Step[] = [];
  const { write, emit } = net.Socket.prototype;
  net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    steps.push({ kind: "write", text: text(chunk) });
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  net.Socket.prototype.emit = function (this: net.Socket, event: string | symbol, ...args: unknown[]) {
    if (event === "data") steps.push({ kind: "read", text: text(args[0]) });
    return (emit as (...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
  try {
    await act((step) => steps.push(step));
  } finally {
    Object.assign(net.Socket.prototype, { write, emit });
  }
  return steps;
}

const nameOf = async (id: string) => (await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, id)))[0]?.displayName;
const isCommit = (step: Step) => step.kind === "write" && /\bcommit\b/i.test(step.text);

describe("transactionThen", () => {
  it("runs the callback once, after the COMMIT is written and before PostgreSQL answers it", async () => {
    const { profile } = await newWriter("Committer");
    const steps = await recordingSockets(async (note) => {
      const committed = await transactionThen(
        async (run) => {
          const rows = await run(db.update(users).set({ displayName: "Committed" }).where(eq(users.id, profile.id)).returning({ id: users.id }));
          return rows.length === 1;
        },
        () => note({ kind: "callback" }),
      );
      expect(committed).toBe(true);
    });

    const commit = steps.findIndex(isCommit);
    const callbacks = steps.flatMap((step, index) => (step.kind === "callback" ? [index] : []));
    expect(commit, "the COMMIT went out on a socket").toBeGreaterThanOrEqual(0);
    expect(callbacks, "the callback ran once").toHaveLength(1);
    expect(callbacks[0]).toBeGreaterThan(commit);
    // Nothing else was written or received in between: PostgreSQL's answer to the COMMIT comes after.
    expect(steps.slice(commit + 1, callbacks[0])).toEqual([]);
    expect(steps.slice(callbacks[0]! + 1).some((step) => step.kind === "read" && step.text.includes("COMMIT"))).toBe(true);
    expect(await nameOf(profile.id)).toBe("Committed");
  });

  it("rolls back without calling back when the work answers false, and when it throws", async () => {
    const { profile } = await newWriter("Undecided");
    const before = await nameOf(profile.id);
    let called = 0;
    const change = (run: Parameters<Parameters<typeof transactionThen>[0]>[0]) =>
      run(db.update(users).set({ displayName: "Never seen" }).where(eq(users.id, profile.id)));

    const steps = await recordingSockets(async () => {
      expect(await transactionThen(async (run) => (await change(run), false), () => (called += 1))).toBe(false);
      await expect(
        transactionThen(
          async (run) => {
            await change(run);
            throw new Error("the work failed");
          },
          () => (called += 1),
        ),
      ).rejects.toThrow("the work failed");
    });
    expect(called).toBe(0);
    expect(steps.some(isCommit)).toBe(false);
    expect(await nameOf(profile.id)).toBe(before);
  });

  it("is tied to the postgres.js minor version it was checked against", () => {
    // onexecute is internal to postgres.js; package.json allows only patch releases of the version these
    // tests were written for, so a minor upgrade is a deliberate change that runs them again.
    const spec = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies.postgres;
    expect(spec).toMatch(/^~3\.4\.\d+$/);
  });
});
