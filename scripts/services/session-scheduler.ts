// Shares PGlite's one Postgres session between many client connections of the embedded database
// (embedded-postgres.ts), a whole Parse..Sync round or a whole transaction at a time.
import type { PGlite } from "@electric-sql/pglite";

import type { Log } from "./common";

// Wire-protocol constants the scheduler needs (PostgreSQL frontend/backend protocol v3).
const READY_FOR_QUERY = 0x5a; // 'Z', its one-byte payload is the transaction status
const TX_IDLE = 0x49; // 'I': not in a transaction block
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/** The transaction status of the last ReadyForQuery in a backend response, or null if none. */
function lastReadyStatus(out: Uint8Array): number | null {
  let status: number | null = null;
  let i = 0;
  while (i + 5 <= out.length) {
    const len = ((out[i + 1]! << 24) | (out[i + 2]! << 16) | (out[i + 3]! << 8) | out[i + 4]!) >>> 0;
    if (out[i] === READY_FOR_QUERY && len === 5 && i + 6 <= out.length) status = out[i + 5]!;
    i += 1 + len;
  }
  return status;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/**
 * Shares PGlite's single Postgres session between many client connections.
 *
 * Why not pglite-socket's own multiplexer (PGLiteSocketServer with maxConnections > 1): it
 * interleaves clients message by message, so one client's Bind/Execute can land between another's
 * Parse and Execute. With postgres.js (extended protocol, unnamed portal) two processes querying at
 * once got `portal "" does not exist` within a few hundred queries, and wrong-result mixups are
 * possible. This scheduler hands the session to one connection from its first message until the
 * backend reports ReadyForQuery *idle*: a whole Parse..Sync round, or a whole transaction, runs
 * alone (what pgbouncer calls transaction pooling). Statement names do not collide: postgres.js
 * names prepared statements with a random per-connection prefix.
 *
 * It implements the three methods PGLiteSocketHandler calls on its `queryQueue` (pglite-socket
 * 0.2.17, pinned exactly in package.json for that reason).
 *
 * Limitation: a connection inside a transaction blocks every other connection until it commits, so
 * code that, inside a transaction, awaits a query on another connection waits forever here (on a
 * real server it would work). A warning is printed when the session is held for long.
 */
export class SessionScheduler {
  private queue: Pending[] = [];
  private owner: number | null = null;
  private ownerSince = 0;
  private running = false;
  private current: Promise<void> = Promise.resolve();
  /** Handlers whose socket went away; if one owns the session, the session is reset and freed. */
  private closed = new Set<number>();
  private warnedFor: number | null = null;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly db: PGlite,
    private readonly log: Log,
  ) {
    this.watchdog = setInterval(() => this.warnIfStuck(), 5_000);
    this.watchdog.unref();
  }

  dispose(): void {
    clearInterval(this.watchdog);
    for (const item of this.queue.splice(0)) item.reject(new Error("embedded database stopped"));
  }

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("client disconnected"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.closed.add(handlerId);
    await this.pump();
  }

  /** Resolves once no message is being run (before PGlite is closed). */
  async drain(): Promise<void> {
    while (this.running) await this.current;
  }

  private pump(): Promise<void> {
    // A running loop picks up new work before it stops, and clears `running` synchronously when it
    // stops, so an enqueue never lands between "nothing left" and "not running".
    if (this.running) return this.current;
    this.running = true;
    this.current = this.loop().catch((error: unknown) => this.log(`[pglite] scheduler error: ${String(error)}`));
    return this.current;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        if (this.owner !== null && this.closed.has(this.owner)) await this.resetSession();
        this.closed.clear(); // closed non-owners have no queued work left (clearQueueForHandler)

        const index =
          this.owner === null ? (this.queue.length > 0 ? 0 : -1) : this.queue.findIndex((q) => q.handlerId === this.owner);
        if (index === -1) break; // idle, or the owner is between messages: others wait
        const item = this.queue.splice(index, 1)[0]!;
        if (this.owner !== item.handlerId) {
          this.owner = item.handlerId;
          this.ownerSince = Date.now();
        }

        const chunks: Uint8Array[] = [];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                chunks.push(data.slice()); // copy: the chunk may be a view into WASM memory
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          // PGlite itself failed (SQL errors come back as ErrorResponse, not as exceptions).
          if (!this.db.isInTransaction()) this.owner = null;
          item.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        const status = lastReadyStatus(concat(chunks));
        if (status === TX_IDLE || item.message[0] === TERMINATE) this.owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }

  /** Leaves the session as a fresh connection would find it: no half-done Parse..Sync, no transaction. */
  private async resetSession(): Promise<void> {
    try {
      await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC_MESSAGE));
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch (error) {
      this.log(`[pglite] could not reset the session after a client left: ${String(error)}`);
    }
    this.owner = null;
  }

  private warnIfStuck(): void {
    if (this.owner === null || this.warnedFor === this.owner) return;
    const heldFor = Date.now() - this.ownerSince;
    const othersWaiting = this.queue.some((q) => q.handlerId !== this.owner);
    if (heldFor > 10_000 && othersWaiting) {
      this.warnedFor = this.owner;
      this.log(
        `[pglite] one connection has held the embedded database for ${Math.round(heldFor / 1000)} s while others wait ` +
          "(a long transaction, or a transaction awaiting a query on another connection, which never finishes here). " +
          "Set DATABASE_URL to a real PostgreSQL to rule the embedded server out.",
      );
    }
  }
}
