import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { BenchContext } from "../lib/context";
import { makeRow, type ScenarioResult } from "../lib/results";
import { nowMs, round } from "../lib/stats";
import { generateWordPressExport } from "../../tests/fixtures/portability/generate-wordpress";

// 6. Portability, in this process (as one worker process runs it):
//  a) import of a generated 5,000-post WordPress file (500 with --quick): posts per second from the start
//     of the import until every post is `ready` (conversion, insert with its import key, render by the
//     real post worker), against the same posts saved through the normal createPost path; and the peak
//     resident memory during the import against the process's memory before it;
//  b) export of those posts to a zip: seconds, against reading the same posts page by page without
//     writing anything; and its peak resident memory against the memory before it.

/** Samples resident memory every 50 ms while `work` runs; returns its result and the peak. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  const beforeMb = process.memoryUsage().rss / 1024 ** 2;
  let peak = beforeMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 1024 ** 2);
  }, 50);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peak, process.memoryUsage().rss / 1024 ** 2), beforeMb };
  } finally {
    clearInterval(timer);
  }
}

export async function runPortabilityScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const count = ctx.quick ? 500 : 5000;
  const { db } = await import("@/server/db");
  const { and, eq, ne, sql } = await import("drizzle-orm");
  const { users } = await import("@/server/users/schema");
  const { posts } = await import("@/server/posts/schema");
  const { imports, dataExports } = await import("@/server/portability/schema");
  const { createImport, analyseImport, runImport } = await import("@/server/portability/import-service");
  const { buildExport } = await import("@/server/portability/export-service");
  const { pageAuthorPosts } = await import("@/server/posts/author-posts");
  const { createPost } = await import("@/server/posts/write");
  const { createPostWorker } = await import("@/worker/post-worker");

  const newAuthor = async () => {
    const id = randomUUID();
    const tag = id.slice(0, 8);
    await db.insert(users).values({ id, email: `bench-${tag}@example.com`, username: `bench_${tag}`, displayName: "Bench", passwordHash: "x", emailVerifiedAt: new Date() });
    return id;
  };
  const waitReady = async (authorId: string) => {
    for (;;) {
      const [row] = await db.select({ left: sql<number>`count(*)::int` }).from(posts).where(and(eq(posts.authorId, authorId), ne(posts.status, "ready")));
      if ((row?.left ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const worker = createPostWorker({ sweepIntervalMs: 0, heartbeatIntervalMs: 60_000 });
  try {
    ctx.log(`portability: generating a ${count}-post WordPress export`);
    const xml = generateWordPressExport(count);
    const importer = await newAuthor();
    const upload = await createImport(importer, "bench.xml", Readable.toWeb(Readable.from([Buffer.from(xml)])) as ReadableStream<Uint8Array>);
    await analyseImport(upload.id);
    await db.update(imports).set({ state: "importing" }).where(eq(imports.id, upload.id));
    const imported = await withPeakRss(async () => {
      const started = nowMs();
      await runImport(upload.id);
      await waitReady(importer);
      return count / ((nowMs() - started) / 1000);
    });

    // Baseline: the same Markdown saved through the editor's path (createPost), rendered by the same worker.
    const saver = await newAuthor();
    const markdowns = (await pageAuthorPosts(importer, null, count)).map((p) => p.markdown);
    const savedStarted = nowMs();
    for (let i = 0; i < markdowns.length; i++) await createPost(saver, { title: `Saved ${i}`, markdown: markdowns[i] ?? "" });
    await waitReady(saver);
    const savedPerSecond = count / ((nowMs() - savedStarted) / 1000);

    const exportId = randomUUID();
    await db.insert(dataExports).values({ id: exportId, userId: importer, storageKey: `exports/${exportId}.zip` });
    const exported = await withPeakRss(async () => {
      const started = nowMs();
      await buildExport(exportId);
      return (nowMs() - started) / 1000;
    });
    const readStarted = nowMs();
    for (let after: string | null = null; ; ) {
      const page = await pageAuthorPosts(importer, after, 200);
      if (page.length === 0) break;
      after = page.at(-1)?.id ?? null;
    }
    const readSeconds = (nowMs() - readStarted) / 1000;

    return {
      rows: [
        makeRow(`import ${count} WordPress posts into ready (posts/s) vs the same saved one by one`, round(imported.result), round(savedPerSecond), "posts/s", "higher"),
        makeRow(`import ${count} posts: peak RSS vs RSS before`, round(imported.peakMb), round(imported.beforeMb), "MB", "lower"),
        makeRow(`export ${count} posts to a zip vs reading them`, round(exported.result), round(readSeconds), "s", "lower"),
        makeRow(`export ${count} posts: peak RSS vs RSS before`, round(exported.peakMb), round(exported.beforeMb), "MB", "lower"),
      ],
      notes: [`portability: ${count} generated posts (${Math.round(xml.length / 1024 ** 2)} MB of WXR), imported and exported in this process with one post worker (concurrency ${process.env.WORKER_CONCURRENCY ?? 4}).`],
    };
  } finally {
    await worker.close();
  }
}
