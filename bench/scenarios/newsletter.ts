import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import nodemailer from "nodemailer";

import { freePort } from "../../scripts/services";
import { startWorkerProcess } from "../lib/app";
import { binPath, type BenchContext } from "../lib/context";
import { mapLimit } from "../lib/http";
import { makeCorpus } from "../lib/markdown";
import { startChild, waitUntil, type Child } from "../lib/processes";
import { makeRow, type ScenarioResult } from "../lib/results";
import { formatSummary, round, sleep, summarize } from "../lib/stats";

// Newsletters (issue 20), against a local SMTP sink in its own process (bench/lib/smtp-sink-server.ts:
// smtp-server, counting only) and InkWell's real worker process (`tsx worker/index.ts`, with SMTP_URL at
// the sink, NEWSLETTER_SEND_RATE at its maximum so the cap is not what is measured, WORKER_NICE=0 so it
// runs at the bench's own priority):
//  a) one post to 10,000 confirmed subscribers (2,000 with --quick): mails accepted per second by the
//     sink, from the send request (requestPostSend, as "Publish and email" calls it) until the sink has
//     counted every one; against nodemailer's own pool (same connection count) sending the same messages
//     (composePostMail + personalize, as the worker's) to the same sink from a bare loop;
//  b) publish → first mail accepted, for several writers with 5 subscribers each: publishPost and
//     requestPostSend on an already rendered post, until the sink accepts the first of its mails; against
//     one nodemailer send of the same message on an open pooled connection;
//  c) the worker process's resident memory (VmRSS from /proc) during a 50,000-recipient send (10,000 with
//     --quick): peak against the RSS just before the send.

interface SinkStats {
  accepted: number;
  firstAt: number;
  lastAt: number;
}

interface Sink {
  url: string;
  host: string;
  port: number;
  child: Child;
  stats(): Promise<SinkStats>;
  /** Epoch ms at which the sink accepted the first mail to `domain` (waits for it, up to timeoutMs). */
  firstTo(domain: string, timeoutMs: number): Promise<number>;
}

async function startSink(ctx: BenchContext): Promise<Sink> {
  const [port, statsPort] = [await freePort(), await freePort()];
  const child = startChild("smtp-sink", binPath(ctx, "tsx"), [path.join("bench", "lib", "smtp-sink-server.ts"), String(port), String(statsPort)], {
    cwd: ctx.root,
    logDir: ctx.logDir,
    env: { ...process.env },
  });
  const base = `http://127.0.0.1:${statsPort}`;
  const stats = async () => (await (await fetch(`${base}/stats`)).json()) as SinkStats;
  await waitUntil(`the SMTP sink (log: ${child.logFile})`, async () => (await stats()).accepted >= 0, 60_000, 200);
  return {
    url: `smtp://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    child,
    stats,
    async firstTo(domain, timeoutMs) {
      const res = await fetch(`${base}/first?domain=${encodeURIComponent(domain)}`, { signal: AbortSignal.timeout(timeoutMs) });
      return ((await res.json()) as { at: number }).at;
    },
  };
}

/**
 * The Node process that runs `script`: the deepest descendant of its launcher (tsx's CLI starts node with
 * its loader; that node starts esbuild) whose command line names the script.
 */
function nodePidOf(launcherPid: number, script: string): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const runsWorker = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(script);
    } catch {
      return false;
    }
  };
  let found = launcherPid;
  for (let level = [launcherPid]; level.length > 0; level = level.flatMap((pid) => children.get(pid) ?? [])) {
    const match = level.find(runsWorker);
    if (match !== undefined) found = match;
  }
  return found;
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100/s on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export async function runNewsletterScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { db } = await import("@/server/db");
  const { and, eq, sql } = await import("drizzle-orm");
  const { users } = await import("@/server/users/schema");
  const { deliveries, postSends, subscribers } = await import("@/server/newsletter/schema");
  const { requestPostSend } = await import("@/server/newsletter/sends");
  const { composePostMail, personalize, senderAddress } = await import("@/server/newsletter/compose");
  const { createPost } = await import("@/server/posts/write");
  const { getOwnPost } = await import("@/server/posts/own-reads");
  const { getPostMailSource } = await import("@/server/posts/mail-source");
  const { publishPost } = await import("@/server/posts/publishing");
  const { env } = await import("@/server/env.js");

  const audience = ctx.quick ? 2_000 : 10_000;
  const memoryAudience = ctx.quick ? 10_000 : 50_000;
  const publishes = ctx.quick ? 10 : 30;
  const rounds = ctx.quick ? 1 : 2;
  const connections = env.NEWSLETTER_SMTP_CONNECTIONS;
  const sendRate = 100_000; // NEWSLETTER_SEND_RATE's maximum: the cap is not what these rows measure
  const markdown = makeCorpus(1, 6_000, 41)[0] ?? "";
  const notes: string[] = [];

  const newWriter = async () => {
    const id = randomUUID();
    const tag = id.slice(0, 8);
    await db.insert(users).values({ id, email: `news-${tag}@example.com`, username: `news_${tag}`, displayName: `Writer ${tag}`, passwordHash: "x", emailVerifiedAt: new Date() });
    return { id, tag, domain: `readers-${tag}.example.com` };
  };
  /** `count` confirmed subscribers in one statement, each writer's at a domain of their own. */
  const subscribe = async (writer: { id: string; domain: string }, count: number) => {
    await db.execute(sql`
      insert into ${subscribers} (author_id, email, status, source, confirmed_at)
      select ${writer.id}::uuid, 'reader-' || i || '@' || ${writer.domain}, 'active', 'form', now()
      from generate_series(1, ${count}) as i`);
  };
  const renderedPost = async (authorId: string, title: string) => {
    const post = await createPost(authorId, { title, markdown });
    await waitUntil(`the worker to render "${title}"`, async () => (await getOwnPost(authorId, post.id)).status === "ready", 120_000, 100);
    return post.id;
  };

  /** The post as the worker mails it (its live version, composed once), for the bare nodemailer side. */
  const liveTemplate = async (writer: { tag: string }, postId: string) => {
    const live = (await getPostMailSource(postId))?.live;
    if (!live) throw new Error(`post ${postId} is not live`);
    return composePostMail({ id: postId, title: live.title, slug: live.slug, html: live.html }, { username: `news_${writer.tag}`, displayName: `Writer ${writer.tag}` });
  };

  const sink = await startSink(ctx);
  let worker: Child | undefined;
  try {
    worker = await startWorkerProcess(ctx, "worker-newsletter", { SMTP_URL: sink.url, NEWSLETTER_SEND_RATE: String(sendRate), WORKER_NICE: "0" });
    const workerPid = nodePidOf(worker.pid, "worker/index.ts");
    const sinkPid = nodePidOf(sink.child.pid, "smtp-sink-server.ts");

    /** Waits until the sink has accepted `target` mails in all; returns when it accepted the last. */
    const sinkReaches = async (target: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await sink.stats();
        if (s.accepted >= target) return s;
        if (Date.now() > deadline) throw new Error(`the sink accepted ${s.accepted} of ${target} mails in ${timeoutMs / 1000} s`);
        await sleep(50);
      }
    };

    // a) throughput: the worker's send against nodemailer's pool from a bare loop, alternating rounds.
    const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity });
    const workerRates: number[] = [];
    const bareRates: number[] = [];
    // CPU seconds per 1,000 mails of the sending process and of the sink: less noisy than rates when
    // other work shares the machine (the worker's excludes what Postgres and Redis spend for it).
    const cpu = { worker: 0, bare: 0, sinkForWorker: 0, sinkForBare: 0 };
    let messageBytes = 0;
    const workerRound = async () => {
      const writer = await newWriter();
      await subscribe(writer, audience);
      const postId = await renderedPost(writer.id, `Throughput ${writer.tag}`);
      await publishPost(writer.id, { id: postId });
      const before = (await sink.stats()).accepted;
      const [workerCpu0, sinkCpu0] = [cpuSeconds(workerPid), cpuSeconds(sinkPid)];
      const t0 = Date.now();
      await requestPostSend(writer.id, postId);
      const s = await sinkReaches(before + audience, 600_000);
      workerRates.push(audience / ((s.lastAt - t0) / 1000));
      cpu.worker += cpuSeconds(workerPid) - workerCpu0;
      cpu.sinkForWorker += cpuSeconds(sinkPid) - sinkCpu0;
      return { writer, postId };
    };
    const bareRound = async (writer: { id: string; tag: string }, postId: string) => {
      const template = await liveTemplate(writer, postId);
      const recipients = await db.select({ id: subscribers.id, email: subscribers.email }).from(subscribers).where(and(eq(subscribers.authorId, writer.id), eq(subscribers.status, "active")));
      const before = (await sink.stats()).accepted;
      const [ownCpu0, sinkCpu0] = [process.cpuUsage(), cpuSeconds(sinkPid)];
      const t0 = Date.now();
      await mapLimit(recipients, connections, async (r) => {
        const mail = personalize(template, { subscriberId: r.id, email: r.email });
        if (messageBytes === 0) messageBytes = Buffer.byteLength(mail.html) + Buffer.byteLength(mail.text);
        await transport.sendMail({ from: { name: template.fromName, address: senderAddress() }, to: r.email, ...mail, messageId: `<${postId}.${r.id}@bench.example>` });
      });
      const s = await sinkReaches(before + recipients.length, 600_000);
      bareRates.push(recipients.length / ((s.lastAt - t0) / 1000));
      const own = process.cpuUsage(ownCpu0);
      cpu.bare += (own.user + own.system) / 1e6;
      cpu.sinkForBare += cpuSeconds(sinkPid) - sinkCpu0;
    };
    for (let r = 0; r < rounds; r++) {
      // The bare loop sends the post the worker just sent, to the same addresses: the same messages.
      const { writer, postId } = await workerRound();
      await bareRound(writer, postId);
    }
    transport.close();
    const meanRate = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const workerRate = meanRate(workerRates);
    const bareRate = meanRate(bareRates);
    const perThousand = (seconds: number) => round((seconds / (audience * rounds)) * 1000);
    ctx.log(
      `newsletter: ${audience} recipients × ${rounds}: worker ${workerRates.map(round).join(", ")} mails/s; nodemailer loop ${bareRates.map(round).join(", ")} mails/s ` +
        `(${connections} connections, ~${Math.round(messageBytes / 1024)} KB of HTML+text a mail); CPU s per 1,000 mails: worker ${perThousand(cpu.worker)}, ` +
        `bare loop ${perThousand(cpu.bare)}; sink ${perThousand(cpu.sinkForWorker)} (worker's) and ${perThousand(cpu.sinkForBare)} (bare loop's)`,
    );

    // b) publish → first mail accepted, each publish to a small audience of its own.
    const small = await Promise.all(
      Array.from({ length: publishes }, async (_, i) => {
        const writer = await newWriter();
        await subscribe(writer, 5);
        return { writer, postId: await renderedPost(writer.id, `Latency ${i}`) };
      }),
    );
    const firstMailMs: number[] = [];
    // Where the time goes (all wall clocks of this machine): until the send-post job has fixed the
    // recipients (post_sends.started_at), then until the first delivery is recorded (sent_at, just before
    // its final "."), then until the sink accepts it.
    const breakdown = { requested: [] as number[], started: [] as number[], recorded: [] as number[], accepted: [] as number[] };
    for (const { writer, postId } of small) {
      const before = (await sink.stats()).accepted;
      const t0 = Date.now();
      await publishPost(writer.id, { id: postId });
      await requestPostSend(writer.id, postId);
      const requestedAt = Date.now();
      const acceptedAt = await sink.firstTo(writer.domain, 60_000);
      firstMailMs.push(acceptedAt - t0);
      await sinkReaches(before + 5, 60_000); // the rest of this audience, before the next publish
      const [send] = await db.select({ startedAt: postSends.startedAt }).from(postSends).where(eq(postSends.postId, postId));
      const [first] = await db.select({ at: sql<Date>`min(${deliveries.sentAt})` }).from(deliveries).where(eq(deliveries.postId, postId));
      const startedAt = send?.startedAt?.getTime() ?? Number.NaN;
      const recordedAt = first?.at ? new Date(first.at).getTime() : Number.NaN;
      breakdown.requested.push(requestedAt - t0);
      breakdown.started.push(startedAt - requestedAt);
      breakdown.recorded.push(recordedAt - startedAt);
      breakdown.accepted.push(acceptedAt - recordedAt);
      await sleep(100);
    }
    const single = nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
    const bareMs: number[] = [];
    const sample = small[0];
    if (!sample) throw new Error("no latency sample");
    const template = await liveTemplate(sample.writer, sample.postId);
    await single.verify();
    for (let i = 0; i < publishes; i++) {
      const domain = `bare-${randomUUID().slice(0, 8)}.example.com`;
      const mail = personalize(template, { subscriberId: randomUUID(), email: `reader@${domain}` });
      const t0 = Date.now();
      await single.sendMail({ from: { name: template.fromName, address: senderAddress() }, to: `reader@${domain}`, ...mail });
      bareMs.push((await sink.firstTo(domain, 10_000)) - t0);
      await sleep(100);
    }
    single.close();
    const publishLatency = summarize(firstMailMs);
    const bareLatency = summarize(bareMs);
    ctx.log(`newsletter: publish → first mail ${formatSummary(publishLatency)}; one nodemailer send ${formatSummary(bareLatency)}`);
    ctx.log(
      `newsletter: publish → first mail, p50 of its parts: publishPost + requestPostSend ${round(summarize(breakdown.requested).p50)} ms, ` +
        `→ send-post job fixed the recipients ${round(summarize(breakdown.started).p50)} ms, → first delivery recorded ${round(summarize(breakdown.recorded).p50)} ms, ` +
        `→ accepted by the sink ${round(summarize(breakdown.accepted).p50)} ms`,
    );

    // c) the worker's memory during a large send.
    const big = await newWriter();
    await subscribe(big, memoryAudience);
    const bigPost = await renderedPost(big.id, "Memory");
    await publishPost(big.id, { id: bigPost });
    await sleep(2_000); // let the rendering's garbage settle before "start"
    const startRss = rssMb(workerPid);
    let peakRss = startRss;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssMb(workerPid));
      } catch {
        // the worker exited; the send below fails on its own
      }
    }, 100);
    let bigSeconds: number;
    try {
      const before = (await sink.stats()).accepted;
      const t0 = Date.now();
      await requestPostSend(big.id, bigPost);
      const s = await sinkReaches(before + memoryAudience, 1_200_000);
      bigSeconds = (s.lastAt - t0) / 1000;
    } finally {
      clearInterval(sampler);
    }
    const endRss = rssMb(workerPid);
    ctx.log(`newsletter: ${memoryAudience} recipients in ${round(bigSeconds)} s (${round(memoryAudience / bigSeconds)} mails/s); worker RSS start ${round(startRss)} MB, peak ${round(peakRss)} MB, end ${round(endRss)} MB`);
    notes.push(
      `newsletter: the worker process sends with NEWSLETTER_SEND_RATE=${sendRate} (the cap set out of the way), ${connections} SMTP connections, batches of ${env.NEWSLETTER_BATCH_SIZE}, concurrency ${env.WORKER_CONCURRENCY}, WORKER_NICE=0; ` +
        `the ${memoryAudience}-recipient send took ${round(bigSeconds)} s (${round(memoryAudience / bigSeconds)} mails/s), RSS at its end ${round(endRss)} MB.`,
    );

    return {
      rows: [
        makeRow(`newsletter: ${audience} subscribers, mails accepted/s through the worker vs nodemailer pool from a bare loop`, workerRate, bareRate, "mails/s", "higher"),
        makeRow(`newsletter: publish → first mail accepted p50 vs one nodemailer send`, publishLatency.p50, bareLatency.p50, "ms", "lower"),
        makeRow(`newsletter: publish → first mail accepted p99 vs one nodemailer send`, publishLatency.p99, bareLatency.p99, "ms", "lower"),
        makeRow(`newsletter: worker peak RSS during a ${memoryAudience}-recipient send vs RSS before it`, peakRss, startRss, "MB", "lower"),
      ],
      notes,
    };
  } finally {
    await worker?.stop();
    await sink.child.stop(3_000);
  }
}
