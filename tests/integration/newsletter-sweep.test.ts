import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { queue } from "@/server/jobs/queues";
import { deliveries } from "@/server/newsletter/schema";
import { createNewsletterWorker, type NewsletterWorker } from "@/worker/newsletter-worker";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";
import { eventually, newWriter, startWorkerForFile } from "./helpers";

// A send whose jobs Redis lost (an outage that kept nothing, a flush) is finished by the newsletter
// worker's sweep: nothing else would enqueue its batches again. Counted at a real SMTP server.

const RECIPIENTS = 250; // three batches of NEWSLETTER_BATCH_SIZE (100)

startWorkerForFile();
let sink: SmtpSink;
let newsletter: NewsletterWorker;
beforeAll(async () => {
  sink = await startSmtpSink();
  newsletter = createNewsletterWorker({ smtpUrl: sink.url, sweepIntervalMs: 500, sweepAfterSeconds: 0 });
  await newsletter.worker.waitUntilReady();
});
afterAll(async () => {
  await newsletter?.close();
  await sink?.close();
});

describe("newsletter sweep", () => {
  it("re-enqueues the batch whose job was deleted from Redis mid-send; every subscriber gets exactly one mail", async () => {
    const writer = await newWriter("Sweepletter");
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `swept-${i}-${writer.profile.username}@example.com`);
    await writer.api.newsletter.importCsv({ csv: `email\n${addresses.join("\n")}\n`, consentStatement: "They asked for it at my readings." });
    expect(await writer.api.newsletter.confirmImported({ consent: true })).toEqual({ activated: RECIPIENTS });
    // One address of the last batch is refused for now (4xx): its batch job is left waiting for a retry.
    const held = addresses.at(-1) ?? "";
    sink.refuse(held, 451);

    const post = await writer.api.posts.create({ title: "Lost and found", markdown: "Exactly once." });
    await writer.api.posts.publish({ id: post.id });
    await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.publishedVersion === p.version, 30_000);
    await writer.api.newsletter.send({ postId: post.id });
    await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => s?.status === "sending" && s.sent === RECIPIENTS - 1, 60_000);

    // Redis loses the job: every job of this post goes, as after a flush.
    const jobs = (await queue("newsletter").getJobs(["waiting", "delayed", "failed", "prioritized"])).filter((job) => (job.data as { postId?: string }).postId === post.id);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) await job.remove();
    const unsent = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(and(eq(deliveries.postId, post.id), inArray(deliveries.status, ["pending", "sending"])));
    expect(unsent[0]?.n).toBe(1);

    sink.allow(held);
    const done = await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => s?.status === "sent", 60_000);
    expect(done).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS, failed: 0 });
    const counts = sink.countsByRecipient();
    expect(addresses.filter((a) => counts.get(a) !== 1)).toEqual([]);
  }, 120_000);

  it("enqueues again the send-post job of a send lost before it fanned out", async () => {
    const writer = await newWriter("Lostpost");
    const addresses = Array.from({ length: 3 }, (_, i) => `early-${i}-${writer.profile.username}@example.com`);
    await writer.api.newsletter.importCsv({ csv: addresses.join("\n"), consentStatement: "They asked for it at my readings." });
    await writer.api.newsletter.confirmImported({ consent: true });
    const post = await writer.api.posts.create({ title: "Never fanned out", markdown: "Once." });
    await writer.api.posts.publish({ id: post.id });
    await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.publishedVersion === p.version, 30_000);

    await newsletter.worker.pause();
    try {
      await writer.api.newsletter.send({ postId: post.id });
      const [job] = (await queue("newsletter").getJobs(["waiting", "prioritized", "delayed"])).filter((j) => (j.data as { postId?: string }).postId === post.id);
      expect(job?.name).toBe("send-post");
      await job?.remove();
    } finally {
      newsletter.worker.resume();
    }
    const done = await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => s?.status === "sent", 60_000);
    expect(done).toMatchObject({ total: 3, sent: 3 });
    const counts = sink.countsByRecipient();
    expect(addresses.map((a) => counts.get(a))).toEqual([1, 1, 1]);
  }, 120_000);
});
