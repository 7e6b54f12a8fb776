// Child process of the database scenario (bench/scenarios/database.ts): counts the PostgreSQL statements
// of the save path by sending this process's database traffic through a counting proxy
// (bench/lib/pg-counter.ts). A separate process, so no other scenario's traffic goes through the proxy.
// Prints one line: BENCH_PROBE_RESULT <json>.
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";

import { makeMarkdown } from "../lib/markdown";
import { startStatementCounter, type StatementCounter, type StatementCounts } from "../lib/pg-counter";

export interface ProbeResult {
  saves: number;
  /** Statements per draft save in the request (posts.update → updatePost). */
  perDraftSave: number;
  /** Statements per processing of that save by the worker (processPost). */
  perDraftProcessing: number;
  perPublishedSave: number;
  perPublishedProcessing: number;
  /** pgbench -N statements per transaction, counted through the same proxy. */
  perPgbenchTransaction: number;
  draftSave: StatementCounts;
  draftProcessing: StatementCounts;
  publishedProcessing: StatementCounts;
}

const SAVES = 10;

async function main(): Promise<void> {
  const real = new URL(process.env.DATABASE_URL ?? "");
  const pgbenchUrl = new URL(process.env.BENCH_PGBENCH_DATABASE_URL ?? "");
  const counter = await startStatementCounter(real.hostname, Number(real.port || 5432));
  const proxied = new URL(real);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(counter.port);
  process.env.DATABASE_URL = proxied.toString(); // before the app's modules read it

  const { createPost, updatePost } = await import("@/server/posts/write");
  const { publishPost } = await import("@/server/posts/publishing");
  const { processPost } = await import("@/server/posts/process-post");
  const { closeDb } = await import("@/server/db");
  const { closeSharedRedis } = await import("@/server/jobs/redis");
  try {
    const authorId = randomUUID();
    const variants = [makeMarkdown(20_000, 11), makeMarkdown(20_000, 12)];

    /** `n` saves of one post, each followed by its processing; statements counted separately. */
    const measure = async (postId: string, version: number, n: number) => {
      const save: StatementCounts[] = [];
      const processing: StatementCounts[] = [];
      for (let i = 0; i < n; i++) {
        counter.reset();
        const saved = await updatePost(authorId, { id: postId, version, markdown: variants[i % 2]! });
        save.push(counter.snapshot());
        version = saved.version;
        counter.reset();
        await processPost({ postId, version });
        processing.push(counter.snapshot());
      }
      return { save, processing, version };
    };
    const average = (list: StatementCounts[]) => list.reduce((s, c) => s + c.total, 0) / list.length;

    const post = await createPost(authorId, { title: "Statement count", markdown: variants[1]! });
    await processPost({ postId: post.id, version: post.version });
    const draft = await measure(post.id, post.version, SAVES);

    const published = await publishPost(authorId, { id: post.id });
    await processPost({ postId: post.id, version: published.version });
    const pub = await measure(post.id, published.version, SAVES);

    // pgbench through the same proxy (async: the proxy lives in this event loop).
    const perPgbenchTransaction = await pgbenchDifference(counter, pgbenchUrl);

    const result: ProbeResult = {
      saves: SAVES,
      perDraftSave: average(draft.save),
      perDraftProcessing: average(draft.processing),
      perPublishedSave: average(pub.save),
      perPublishedProcessing: average(pub.processing),
      perPgbenchTransaction,
      draftSave: draft.save.at(-1)!,
      draftProcessing: draft.processing.at(-1)!,
      publishedProcessing: pub.processing.at(-1)!,
    };
    console.log(`BENCH_PROBE_RESULT ${JSON.stringify(result)}`);
  } finally {
    await closeSharedRedis().catch(() => {});
    await closeDb().catch(() => {});
    await counter.close();
  }
}

/** Statements per pgbench -N transaction: (count at 30 transactions - count at 10) / 20. */
async function pgbenchDifference(counter: StatementCounter, url: URL): Promise<number> {
  const run = (transactions: number) =>
    new Promise<number>((resolve, reject) => {
      counter.reset();
      const child = spawn(
        "pgbench",
        ["-n", "-N", "-c", "1", "-t", String(transactions), "-h", "127.0.0.1", "-p", String(counter.port), "-U", url.username || "postgres", url.pathname.slice(1)],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(counter.snapshot().total);
        else reject(new Error(`pgbench through the proxy failed (exit ${code}): ${stderr}`));
      });
    });
  const ten = await run(10);
  const thirty = await run(30);
  return (thirty - ten) / 20;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
