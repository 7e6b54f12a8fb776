import { withReplicas } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "../env.js";
import * as mediaSchema from "../media/schema";
import * as postsSchema from "../posts/schema";
import * as usersSchema from "../users/schema";
import * as portabilitySchema from "../portability/schema";
import * as newsletterSchema from "../newsletter/schema";

// Shared by the web server and the worker; no Next-only imports here.

export const schema = { ...usersSchema, ...postsSchema, ...mediaSchema, ...portabilitySchema, ...newsletterSchema };
export type Database = PostgresJsDatabase<typeof schema>;
/** The handle a `db.transaction` callback receives. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

function connect(url: string, parameters: Record<string, string> = {}) {
  // postgres.js connects lazily: creating the client opens no socket (so `next build` needs no database).
  return postgres(url, { max: env.DATABASE_POOL_MAX, onnotice: () => {}, connection: parameters });
}

type Connections = { primary: postgres.Sql; replicas: postgres.Sql[]; derived: postgres.Sql };
// Cached on globalThis outside production so hot reloads reuse the pools instead of opening new ones.
const globalForDb = globalThis as unknown as { inkwellConnections?: Connections };

const connections: Connections = globalForDb.inkwellConnections ?? {
  primary: connect(env.DATABASE_URL),
  replicas: (env.DATABASE_REPLICA_URLS ?? []).map((url) => connect(url)),
  derived: connect(env.DATABASE_URL, { synchronous_commit: "off" }),
};
if (env.NODE_ENV !== "production") globalForDb.inkwellConnections = connections;

/** The primary: every write, and reads that must see the caller's own writes (a writer's own posts). */
export const db: Database = drizzle(connections.primary, { schema });

/**
 * The primary, for writes of what can be made again from rows already stored durably: the worker's
 * renderings of a post version. Its commits do not wait for the WAL to reach the disk (synchronous_commit
 * off; a disk flush costs about 5 ms here, two per job). A crash of PostgreSQL itself (not of the worker)
 * may lose the last few hundred milliseconds of them; the post is then `queued` or `processing` again and
 * the worker's sweep renders it once more. Never for anything a person typed or a token someone holds.
 */
export const derivedWritesDb = drizzle(connections.derived, { schema });

const [firstReplica, ...otherReplicas] = connections.replicas.map((c) => drizzle(c, { schema }));
/** Public reads, spread over the read replicas when DATABASE_REPLICA_URLS is set. */
export const readDb: Database = firstReplica ? withReplicas(db, [firstReplica, ...otherReplicas]) : db;

/** Runs a query built with `db` (its SQL and parameters) on a reserved connection; answers its rows. */
export type RunOnConnection = (query: { toSQL(): { sql: string; params: unknown[] } }) => Promise<readonly Record<string, unknown>[]>;

/**
 * Runs `work` in a transaction on a connection of its own. When it answers true the transaction commits,
 * and `afterCommitSent` runs the moment the COMMIT has been written to the socket, before PostgreSQL's
 * answer; when it answers false the transaction rolls back. For an act outside the database that must
 * follow a commit with nothing between (the newsletter's final "." of an SMTP DATA): awaiting the answer
 * first would leave a round trip and the event loop's lag in which a crash finds the row saying done and
 * the act not done. If the COMMIT then fails, the act has happened anyway; the caller hears of it.
 */
export async function transactionThen(work: (run: RunOnConnection) => Promise<boolean>, afterCommitSent: () => void): Promise<boolean> {
  const reserved = await connections.primary.reserve();
  try {
    await reserved.unsafe("begin");
    let commit: boolean;
    try {
      commit = await work(async (query) => {
        const { sql, params } = query.toSQL();
        return reserved.unsafe(sql, params as postgres.ParameterOrJSON<never>[]);
      });
    } catch (err) {
      await reserved.unsafe("rollback").catch(() => {});
      throw err;
    }
    if (!commit) {
      await reserved.unsafe("rollback");
      return false;
    }
    // postgres.js buffers a query's bytes and writes them in a setImmediate; its `onexecute` hook runs
    // right after they are buffered, so an immediate queued there runs just after that write.
    const afterWrite: Record<string, unknown> = { onexecute: () => (setImmediate(afterCommitSent), true) };
    await reserved.unsafe("commit", [], afterWrite);
    return true;
  } finally {
    reserved.release();
  }
}

/** Ends every pool; the worker and scripts call it on shutdown so the process can exit. */
export async function closeDb(): Promise<void> {
  await Promise.all([connections.primary, connections.derived, ...connections.replicas].map((c) => c.end({ timeout: 5 })));
  globalForDb.inkwellConnections = undefined;
}
