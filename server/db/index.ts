import { withReplicas } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "../env.js";
import * as postsSchema from "../posts/schema";
import * as usersSchema from "../users/schema";

// Shared by the web server and the worker; no Next-only imports here.

export const schema = { ...usersSchema, ...postsSchema };
export type Database = PostgresJsDatabase<typeof schema>;
/** The handle a `db.transaction` callback receives. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

function connect(url: string) {
  // postgres.js connects lazily: creating the client opens no socket (so `next build` needs no database).
  return postgres(url, { max: env.DATABASE_POOL_MAX, onnotice: () => {} });
}

type Connections = { primary: postgres.Sql; replicas: postgres.Sql[] };
// Cached on globalThis outside production so hot reloads reuse the pools instead of opening new ones.
const globalForDb = globalThis as unknown as { inkwellConnections?: Connections };

const connections: Connections = globalForDb.inkwellConnections ?? {
  primary: connect(env.DATABASE_URL),
  replicas: (env.DATABASE_REPLICA_URLS ?? []).map(connect),
};
if (env.NODE_ENV !== "production") globalForDb.inkwellConnections = connections;

/** The primary: every write, and reads that must see the caller's own writes (a writer's own posts). */
export const db: Database = drizzle(connections.primary, { schema });

const [firstReplica, ...otherReplicas] = connections.replicas.map((c) => drizzle(c, { schema }));
/** Public reads, spread over the read replicas when DATABASE_REPLICA_URLS is set. */
export const readDb: Database = firstReplica ? withReplicas(db, [firstReplica, ...otherReplicas]) : db;

/** Ends every pool; the worker and scripts call it on shutdown so the process can exit. */
export async function closeDb(): Promise<void> {
  await Promise.all([connections.primary, ...connections.replicas].map((c) => c.end({ timeout: 5 })));
  globalForDb.inkwellConnections = undefined;
}
