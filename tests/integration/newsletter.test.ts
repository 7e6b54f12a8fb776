import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as oneClickUnsubscribe } from "@/app/(newsletter)/unsubscribe/one-click/route";
import { POST as subscribeRequest } from "@/app/(newsletter)/subscribe/request/route";
import { POST as confirmSubmit } from "@/app/(newsletter)/subscribe/confirm/submit/route";
import { db } from "@/server/db";
import { confirmationTokens, subscribers } from "@/server/newsletter/schema";
import { hashToken } from "@/server/newsletter/links";
import { SEND_CONFIRMATION_JOB } from "@/server/jobs/newsletter-contract";
import { queue } from "@/server/jobs/queues";
import { issueConfirmationToken } from "@/server/newsletter/subscriptions";
import { createNewsletterWorker, type NewsletterWorker } from "@/worker/newsletter-worker";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";
import { errorCode, eventually, newWriter, outboxFor, randomIp, startWorkerForFile, tokenOf } from "./helpers";

// Subscribing, confirming, sending and unsubscribing against a real SMTP server (smtp-server): what the
// server received is what these tests read.

startWorkerForFile();
let sink: SmtpSink;
let newsletter: NewsletterWorker;
beforeAll(async () => {
  sink = await startSmtpSink();
  newsletter = createNewsletterWorker({ smtpUrl: sink.url });
  await newsletter.worker.waitUntilReady();
});
afterAll(async () => {
  await newsletter?.close();
  await sink?.close();
});

type Writer = Awaited<ReturnType<typeof newWriter>>;

function form(fields: Record<string, string>, url = "http://127.0.0.1:3000/x"): Request {
  return new Request(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp() },
  });
}

const location = (response: Response) => new URL(response.headers.get("location") ?? "", "http://x");

async function publishedPost(writer: Writer, title: string, markdown: string) {
  const post = await writer.api.posts.create({ title, markdown });
  await writer.api.posts.publish({ id: post.id });
  await eventually(() => writer.api.posts.byId({ id: post.id }), (p) => p.publishedVersion === p.version);
  return post;
}

/** Subscribes through the form, follows the mailed link, presses Confirm: as a reader does. */
async function subscribe(writer: Writer, email: string): Promise<void> {
  const answer = await subscribeRequest(form({ writer: writer.profile.username, email }));
  expect(answer.status).toBe(303);
  expect(location(answer).searchParams.get("status")).toBe("check-inbox");
  const mail = await eventually(() => outboxFor(email), (mails) => mails.some((m) => m.kind === "newsletter-confirm"));
  const token = tokenOf(mail.findLast((m) => m.kind === "newsletter-confirm"));
  const confirmed = await confirmSubmit(form({ token }));
  expect(location(confirmed).searchParams.get("status")).toBe("confirmed");
}

async function sendAndWait(writer: Writer, postId: string) {
  await writer.api.newsletter.send({ postId });
  return eventually(() => writer.api.newsletter.sendStatus({ postId }), (s) => s?.status === "sent", 30_000);
}

const mailsTo = (address: string) => sink.received.filter((m) => m.to.includes(address));
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

describe("newsletter: subscribe, send, unsubscribe", () => {
  it("mails a confirmed reader the post, mail-safe, with RFC 8058 one-click unsubscribe, and nothing after it", async () => {
    const writer = await newWriter("Letters");
    const [alice, bob] = [unique("alice"), unique("bob")];
    await subscribe(writer, alice.toUpperCase()); // mixed case: one subscriber, lower-cased
    await subscribe(writer, bob);
    expect(await writer.api.newsletter.activeCount()).toBe(2);

    const first = await publishedPost(writer, "First letter", "Hello **readers**. See [my page](/@someone) and [the spec](https://example.org/spec).");
    const state = await sendAndWait(writer, first.id);
    expect(state).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect(mailsTo(alice)).toHaveLength(1);

    const mail = await sink.parse(mailsTo(alice)[0]!);
    expect(mail.subject).toBe("First letter");
    const rawHeader = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, "") ?? "";
    const listUnsubscribe = rawHeader("list-unsubscribe");
    expect(listUnsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:3000\/unsubscribe\/one-click\?key=[^>]+>$/);
    expect(rawHeader("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    // Plain-text part, view-in-browser link, absolute links, styles inlined.
    expect(mail.text).toContain("Hello READERS".replace("READERS", "readers"));
    expect(mail.text).toContain(`View this post in your browser: http://127.0.0.1:3000/@${writer.profile.username}/`);
    expect(mail.text).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1:3000\/unsubscribe\?key=/);
    expect(mail.html).toContain('href="http://127.0.0.1:3000/@someone"');
    expect(mail.html).toMatch(/<h1 style="[^"]*font-size: 30px/);
    expect(mail.html).not.toContain("<style>");

    // The mail provider's one-click POST: no session, no cookie.
    const url = listUnsubscribe.slice(1, -1);
    const answer = await oneClickUnsubscribe(new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(answer.status).toBe(200);
    expect(await writer.api.newsletter.activeCount()).toBe(1);

    const second = await publishedPost(writer, "Second letter", "Again.");
    expect(await sendAndWait(writer, second.id)).toMatchObject({ total: 1, sent: 1 });
    expect(mailsTo(alice)).toHaveLength(1); // nothing more for the unsubscribed reader
    expect(mailsTo(bob)).toHaveLength(2);

    const history = await writer.api.newsletter.history();
    expect(history.find((h) => h.postId === first.id)).toMatchObject({ sent: 2, unsubscribes: 1 });
    // A post is emailed once: asking again is refused.
    expect(await errorCode(writer.api.newsletter.send({ postId: first.id }))).toBe("CONFLICT");
  }, 60_000);

  it("marks an address refused for good (5xx) as bouncing, and retries a temporary refusal (4xx) until it goes through", async () => {
    const writer = await newWriter("Bounce");
    const [gone, busy, fine] = [unique("gone"), unique("busy"), unique("fine")];
    for (const address of [gone, busy, fine]) await subscribe(writer, address);
    sink.refuse(gone, 550);
    sink.refuse(busy, 451);
    const post = await publishedPost(writer, "Bouncy", "Text.");
    await writer.api.newsletter.send({ postId: post.id });
    await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => (s?.sent ?? 0) === 1 && s?.failed === 1, 20_000);
    expect((await writer.api.newsletter.sendStatus({ postId: post.id }))?.status).toBe("sending"); // one still deferred
    sink.allow(busy);
    const done = await eventually(() => writer.api.newsletter.sendStatus({ postId: post.id }), (s) => s?.status === "sent", 30_000);
    expect(done).toMatchObject({ total: 3, sent: 2, failed: 1 });
    expect(mailsTo(busy)).toHaveLength(1);
    expect(mailsTo(gone)).toHaveLength(0);
    const [bouncing] = await db.select().from(subscribers).where(eq(subscribers.email, gone));
    expect(bouncing?.status).toBe("bouncing");
    expect(await writer.api.newsletter.activeCount()).toBe(2);
  }, 60_000);
});

describe("newsletter: double opt-in", () => {
  it("answers alike whether or not the address is subscribed, and mails no second link to a subscribed one", async () => {
    const writer = await newWriter("Quiet");
    const reader = unique("reader");
    await subscribe(writer, reader);
    const before = (await outboxFor(reader)).length;
    const again = await subscribeRequest(form({ writer: writer.profile.username, email: reader }));
    expect(location(again).searchParams.get("status")).toBe("check-inbox");
    // Nothing was enqueued for this subscriber: no confirmation job is waiting or running, and one that
    // had already run would have written its mail before it was dropped, so the outbox would show it.
    const [subscriber] = await db.select({ id: subscribers.id }).from(subscribers).where(and(eq(subscribers.authorId, writer.profile.id), eq(subscribers.email, reader)));
    expect(subscriber, "the reader's subscription").toBeDefined();
    const live = await queue("newsletter").getJobs(["waiting", "prioritized", "active", "delayed"]);
    expect(live.filter((job) => job.name === SEND_CONFIRMATION_JOB && (job.data as { subscriberId?: string }).subscriberId === subscriber!.id)).toEqual([]);
    expect(await outboxFor(reader)).toHaveLength(before);
  });

  it("subscribes a signed-in reader at once, and clears a bounce once they subscribe again with their confirmed address", async () => {
    const writer = await newWriter("Clicked");
    const reader = await newWriter("Clicker");
    expect(await reader.api.newsletter.subscribeMe({ writer: writer.profile.username })).toBeTruthy();
    expect(await reader.api.newsletter.amISubscribed({ writer: writer.profile.username })).toBe(true);
    // Later a mail to the address bounced; signing in proves it again.
    await db.update(subscribers).set({ status: "bouncing", bouncedAt: new Date(), bounceReason: "550 no such user" }).where(eq(subscribers.email, reader.profile.email));
    expect(await reader.api.newsletter.amISubscribed({ writer: writer.profile.username })).toBe(false);
    await reader.api.newsletter.subscribeMe({ writer: writer.profile.username });
    const rows = await db.select().from(subscribers).where(eq(subscribers.email, reader.profile.email));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "active", source: "account", bouncedAt: null, bounceReason: null });
  });

  it("refuses a used, an expired and a forged link, changing nothing", async () => {
    const writer = await newWriter("Links");
    const reader = unique("late");
    await subscribeRequest(form({ writer: writer.profile.username, email: reader }));
    const [row] = await eventually(() => db.select().from(subscribers).where(eq(subscribers.email, reader)), (rows) => rows.length === 1);
    const token = await issueConfirmationToken(row!.id);
    await db.update(confirmationTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(confirmationTokens.tokenHash, hashToken(token)));
    for (const bad of [token, "forged-token-forged-token-forged", "x".repeat(500)]) {
      const answer = await confirmSubmit(form({ token: bad }));
      expect(location(answer).searchParams.get("problem")).toBe("used-link");
    }
    const fresh = await issueConfirmationToken(row!.id);
    expect(location(await confirmSubmit(form({ token: fresh }))).searchParams.get("status")).toBe("confirmed");
    expect(location(await confirmSubmit(form({ token: fresh }))).searchParams.get("problem")).toBe("used-link");
    expect(await writer.api.newsletter.activeCount()).toBe(1);
  });

  it("refuses malformed, overlong and header-injecting addresses and unknown writers, writing nothing", async () => {
    const writer = await newWriter("Strict");
    const cases: [Record<string, string>, string][] = [
      [{ writer: writer.profile.username, email: "not-an-address" }, "invalid-email"],
      [{ writer: writer.profile.username, email: `${"a".repeat(250)}@example.com` }, "invalid-email"],
      [{ writer: writer.profile.username, email: "x@example.com\r\nBcc: victim@example.com" }, "invalid-email"],
      [{ writer: writer.profile.username, email: "" }, "invalid-email"],
      [{ writer: "nobody_here_at_all", email: unique("orphan") }, "unknown-writer"],
      [{ writer: "bad name!", email: unique("orphan") }, "unknown-writer"],
    ];
    for (const [fields, problem] of cases) {
      const answer = await subscribeRequest(form(fields));
      expect(answer.status).toBe(303);
      expect(location(answer).searchParams.get("problem")).toBe(problem);
    }
    const summary = await writer.api.newsletter.summary();
    expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe("newsletter: CSV import and export", () => {
  it("imports 100,000 rows, merging duplicated and mixed-case addresses, and exports them", async () => {
    const writer = await newWriter("Bulk");
    const rows = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? `User${i - 1}@Example.com` : `user${i}@example.com`));
    const result = await writer.api.newsletter.importCsv({ csv: `email\n${rows.join("\n")}\n`, consentStatement: "They subscribed on my old platform." });
    // Every tenth row repeats the row before it in other case ("User9@Example.com" after "user9@…"), but the first.
    expect(result).toEqual({ imported: 90_001, alreadyListed: 0, duplicates: 9_999 });
    const summary = await writer.api.newsletter.summary();
    expect(summary.counts).toMatchObject({ imported: 90_001, active: 0 }); // no mail until consent is confirmed
    expect(await writer.api.newsletter.activeCount()).toBe(0);
    expect((await writer.api.newsletter.list({ search: "user99999@" })).items.map((s) => s.email)).toEqual(["user99999@example.com"]);
  }, 600_000); // generous: a 100,000-row import on a loaded 2-core machine

  it("refuses a file with a bad address, naming its line, and imports nothing", async () => {
    const writer = await newWriter("Careful");
    const csv = ["email", "good@example.com", "not an address", "x@example.com\r\nBcc: y@example.com", `${"a".repeat(300)}@example.com`].join("\n");
    const err = await writer.api.newsletter.importCsv({ csv, consentStatement: "They signed a form." }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^3 rows are not valid email addresses: line 3 \("not an address"\)/);
    expect((err as Error).message).toContain("nothing was imported");
    expect((await writer.api.newsletter.summary()).counts.imported).toBe(0);
    expect(await errorCode(writer.api.newsletter.importCsv({ csv: "a@example.com", consentStatement: "short" }))).toBe("BAD_REQUEST");
  });
});
