// Scale-out: two web instances and two workers from the production build (copied out of the repo),
// one PostgreSQL primary with a streaming read replica, one Redis. A writer works through instance
// A; readers read through instance B; either worker processes the post. Public reads must come from
// the replica and the writer's own reads from the primary, which the test proves by pausing WAL
// replay on the replica: while paused, the primary has the published post and the replica does not.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { migrateArgs, webArgs, workerArgs } from "../../scripts/production";
import { startReplicatedPostgres, type ReplicatedPostgres } from "./postgres-cluster";
import { MAIL_OUTBOX_DIR, ScaleRun, TrpcError, WebClient, buildCopies, freeLocalUrl, operatorHeaders, poll, runNode, waitForHealthy, type OwnPost, type Proc } from "./support";

const DATABASE = "inkwell_scale";
const { webDir, workerDir } = buildCopies();
const run = new ScaleRun("scale");
const { writer, procs } = run;
const client = new WebClient();

let cluster: ReplicatedPostgres | undefined;
let primarySql: postgres.Sql | undefined;
let replicaSql: postgres.Sql | undefined;
const workers: Proc[] = [];
let urlA = "";
let urlB = "";

/** The replica has replayed everything the primary had written when this was called. */
async function waitForReplication(): Promise<void> {
  // The insert position, not pg_current_wal_lsn (the write position): with synchronous_commit = off
  // (postgres-cluster.ts) a commit that has already answered can still sit in the WAL buffers, so the
  // write position may not include it yet.
  const [current] = await primarySql!<{ lsn: string }[]>`select pg_current_wal_insert_lsn()::text as lsn`;
  await poll("the replica to catch up", async () => {
    const [row] = await replicaSql!<{ ok: boolean }[]>`select pg_last_wal_replay_lsn() >= ${current!.lsn}::pg_lsn as ok`;
    return row?.ok ? true : undefined;
  });
}

/** Executions of statements reading posts.posts in the app database, as one server counted them. */
async function postQueries(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ calls: number }[]>`
    select coalesce(sum(s.calls), 0)::int as calls
    from pg_stat_statements s join pg_database d on d.oid = s.dbid
    where d.datname = current_database() and s.query like '%from "posts"."posts"%'`;
  return row?.calls ?? 0;
}

async function publicPost(baseUrl: string, slug: string): Promise<{ title: string } | "NOT_FOUND"> {
  try {
    return await new WebClient().query<{ title: string }>(baseUrl, "posts.bySlug", { username: writer.username, slug });
  } catch (error) {
    if (error instanceof TrpcError && error.code === "NOT_FOUND") return "NOT_FOUND";
    throw error;
  }
}

beforeAll(async () => {
  cluster = await startReplicatedPostgres();
  const admin = postgres(cluster.primary.url("postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  primarySql = postgres(cluster.primary.url(DATABASE), { max: 1, onnotice: () => {} });
  await primarySql`create extension pg_stat_statements`; // replicated, so the replica has the view too
  // The new database reaches the replica by replication too; connecting succeeds once it has.
  replicaSql = postgres(cluster.replica.url(DATABASE), { max: 1, onnotice: () => {} });
  await poll("the database on the replica", async () => ((await replicaSql!`select 1 as one`).length === 1 ? true : undefined));

  const [a, b] = [await freeLocalUrl(), await freeLocalUrl()];
  urlA = a.url;
  urlB = b.url;
  const env = run.env({
    DATABASE_URL: cluster.primary.url(DATABASE),
    DATABASE_REPLICA_URLS: cluster.replica.url(DATABASE),
    DATABASE_POOL_MAX: "5",
    // Behind a load balancer every instance has the same public URL.
    APP_URL: urlA,
    HOSTNAME: "127.0.0.1",
    WORKER_CONCURRENCY: "2",
  });

  const migrated = await runNode("migrate", migrateArgs(workerDir), workerDir, env);
  expect(migrated.code, migrated.output).toBe(0);

  workers.push(run.start("worker-1", workerArgs(workerDir), workerDir, env), run.start("worker-2", workerArgs(workerDir), workerDir, env));
  run.start("web-A", webArgs(webDir), webDir, { ...env, PORT: String(a.port) });
  run.start("web-B", webArgs(webDir), webDir, { ...env, PORT: String(b.port) });
  await Promise.all([waitForHealthy(urlA, procs), waitForHealthy(urlB, procs)]);
});

afterAll(async () => {
  await run.cleanup();
  await primarySql?.end({ timeout: 5 });
  await replicaSql?.end({ timeout: 5 });
  await cluster?.stop();
});

describe("scale-out: two web instances, two workers, a primary and a read replica", () => {
  it("sees both workers from either web instance", async () => {
    for (const url of [urlA, urlB]) {
      await poll(`${url} to count two live workers`, async () => {
        const health = (await (await fetch(`${url}/api/health`, { headers: operatorHeaders })).json()) as { workers: { alive: number } };
        return health.workers.alive === 2 ? true : undefined;
      });
    }
  });

  it("keeps no session state in an instance: signed in through A, recognised by B", async () => {
    await client.signUp(urlA, writer, MAIL_OUTBOX_DIR);
    await client.signIn(urlA, writer.email, writer.password);
    for (const url of [urlA, urlB]) {
      const me = await client.query<{ username: string }>(url, "users.me", undefined);
      expect(me.username).toBe(writer.username);
    }
  });

  it("serves public reads from the replica and the writer's own reads from the primary", async () => {
    // The writer's account must be on the replica before replay stops (bySlug looks the writer up there).
    await waitForReplication();
    await replicaSql!`select pg_wal_replay_pause()`;
    let published: OwnPost;
    try {
      await poll("replay to pause", async () => {
        const [row] = await replicaSql!<{ state: string }[]>`select pg_get_wal_replay_pause_state() as state`;
        return row?.state === "paused" ? true : undefined;
      });

      // Write, process and publish through A while the replica is frozen.
      const created = await client.mutation<OwnPost>(urlA, "posts.create", { title: "Read from the replica", markdown: "Served by **B**." });
      await poll("the post to be processed", async () => {
        const post = await client.query<OwnPost>(urlA, "posts.byId", { id: created.id });
        if (post.status === "failed") throw new Error(`processing failed: ${post.error}`);
        return post.status === "ready" ? post : undefined;
      });
      await client.mutation<OwnPost>(urlA, "posts.publish", { id: created.id });
      published = await poll("the post to be published", async () => {
        const post = await client.query<OwnPost>(urlA, "posts.byId", { id: created.id });
        return post.status === "ready" && post.publishedVersion === post.version ? post : undefined;
      });

      // The writer's own reads go to the primary, whichever instance serves them.
      const ownThroughB = await client.query<OwnPost>(urlB, "posts.byId", { id: created.id });
      expect(ownThroughB.publishedVersion).toBe(published.version);

      // Public reads go to the replica, which has not replayed the post yet: not found, through A and B,
      // although the primary has it published. Reads from the primary would find it.
      const [onPrimary] = await primarySql!<{ n: number }[]>`
        select count(*)::int as n from posts.posts where id = ${created.id} and visibility = 'published'`;
      expect(onPrimary?.n).toBe(1);
      const replicaBefore = await postQueries(replicaSql!);
      expect(await publicPost(urlB, published.slug)).toBe("NOT_FOUND");
      expect(await publicPost(urlA, published.slug)).toBe("NOT_FOUND");
      // And the replica itself counts those lookups: each read of a post page queries posts.posts.
      expect(await postQueries(replicaSql!)).toBeGreaterThanOrEqual(replicaBefore + 2);
    } finally {
      await replicaSql!`select pg_wal_replay_resume()`;
    }

    // Replay resumes: reads through B see the post as soon as the replica has caught up.
    const page = await poll("the published post on the replica, through B", async () => {
      const post = await publicPost(urlB, published.slug);
      return post === "NOT_FOUND" ? undefined : post;
    });
    expect(page.title).toBe("Read from the replica");

    // Processed by whichever worker took the jobs (a save job, then a publish job).
    const processedBy = workers.filter((w) => w.output().split("\n").some((line) => line.includes(published.id) && line.includes("process-post done")));
    expect(processedBy.length, workers.map((w) => `--- ${w.name}\n${w.output().slice(-2_000)}`).join("\n")).toBeGreaterThan(0);
    console.log(`[scale] post ${published.id} processed by ${processedBy.map((w) => w.name).join(" and ")}`);
  });
});
