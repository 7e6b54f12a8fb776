import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { db } from "@/server/db";
import { deliveries } from "@/server/newsletter/schema";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";
import { startWorkerProcess, stop, waitForOutput, type Child } from "../support/processes";
import { closeConnections, eventually, newWriter } from "./helpers";

// The send survives its worker being SIGKILLed: 2,000 subscribers, the worker killed three times during
// the send and started again, and the SMTP server counts exactly one copy for every address.

const RECIPIENTS = 2_000;
const children: Child[] = [];
let sink: SmtpSink | undefined;
afterAll(async () => {
  await Promise.all(children.map((child) => stop(child, "SIGKILL")));
  await sink?.close();
  await closeConnections();
});

describe("a newsletter send whose worker is SIGKILLed three times", () => {
  it("delivers exactly one copy to each of 2,000 subscribers", async () => {
    onTestFailed(() => console.log(children.map((c) => c.output().slice(-3000)).join("\n-----\n")));
    sink = await startSmtpSink();
    const workerEnv = {
      SMTP_URL: sink.url,
      // Short locks so a killed worker's batch jobs are taken again within seconds.
      WORKER_LOCK_DURATION_MS: "4000",
      WORKER_STALLED_INTERVAL_MS: "1000",
      // No nice: the test is about crashes, not the machine's load. The default lanes (WORKER_CONCURRENCY
      // batches at once, NEWSLETTER_SMTP_CONNECTIONS each): 20 messages in flight when a kill lands.
      WORKER_NICE: "0",
      NEWSLETTER_SEND_RATE: "400",
      NEWSLETTER_BATCH_SIZE: "100",
    };
    const start = async () => {
      const child = startWorkerProcess(workerEnv);
      children.push(child);
      // A busy machine can take a while to start a TypeScript process.
      await waitForOutput(child, /worker started/, 90_000);
      return child;
    };

    const writer = await newWriter("Crashletter");
    const addresses = Array.from({ length: RECIPIENTS }, (_, i) => `reader-${i}-${writer.profile.username}@example.com`);
    await writer.api.newsletter.importCsv({ csv: `email\n${addresses.join("\n")}\n`, consentStatement: "They signed up at my readings, in writing." });
    expect(await writer.api.newsletter.confirmImported({ consent: true })).toEqual({ activated: RECIPIENTS });

    let worker = await start();
    const post = await writer.api.posts.create({ title: "Survives", markdown: "Exactly once." });
    await writer.api.posts.publish({ id: post.id });
    await writer.api.newsletter.send({ postId: post.id });

    const sentCount = async () => {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(and(eq(deliveries.postId, post.id), eq(deliveries.status, "sent")));
      return row?.n ?? 0;
    };
    for (const threshold of [200, 700, 1_200]) {
      await eventually(sentCount, (n) => n >= threshold, 240_000);
      expect(await stop(worker, "SIGKILL")).toBeNull();
      worker = await start();
    }

    const done = await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => s?.status === "sent", 400_000);
    expect(done).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS, failed: 0 });
    await stop(worker, "SIGTERM");

    const counts = sink.countsByRecipient();
    const copies = addresses.map((a) => counts.get(a) ?? 0);
    expect(copies.filter((n) => n === 0)).toHaveLength(0); // nobody skipped
    expect(copies.filter((n) => n > 1)).toHaveLength(0); // nobody doubled
    expect(sink.received).toHaveLength(RECIPIENTS);
  }, 900_000);
});
