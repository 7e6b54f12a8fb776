import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTRPCContext, watchSession } from "@/server/api/trpc";
import { forgetSessionsOf } from "@/server/auth/session-cache";
import type { PostStatusEvent } from "@/server/jobs/contract";
import { announcePostStatus } from "@/server/jobs/status-feed";
import { sessionCookie, sessionFromCookies } from "@/server/auth/session";
import { endAllSessions, startSession } from "@/server/users/service";
import { PASSWORD, closeConnections, eventually, newWriter, randomIp, sessionVersionOf } from "./helpers";
import { AuthBrowser } from "./auth-browser";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";

afterAll(async () => {
  await closeConnections();
});

const COOKIE = "authjs.session-token";

/** A session cookie as Auth.js issues it at sign-in (same secret, salt and claims). */
async function issuedCookie(userId: string, claims: Record<string, unknown> = {}, maxAge = 3600) {
  const sid = await startSession(userId);
  const token = { sub: userId, sessionVersion: await sessionVersionOf(userId), sid, ...claims };
  const value = await encode({ token, secret: process.env.AUTH_SECRET!, salt: COOKIE, maxAge });
  return { name: COOKIE, value };
}

describe("reading the session from the cookie", () => {
  it("signs the writer in from Auth.js's cookie, with the account's current names", async () => {
    const { profile } = await newWriter("Reader");
    const cookie = await issuedCookie(profile.id, { name: "stale name in the token" });
    const session = await sessionFromCookies([{ name: "theme", value: "dark" }, cookie]);
    expect(session).toEqual({ user: { id: profile.id, email: profile.email, username: profile.username, name: profile.displayName } });
  });

  it("ends the session once the account's session version moves on (sign out everywhere, password change)", async () => {
    const { profile } = await newWriter("Revoked");
    const cookie = await issuedCookie(profile.id);
    expect((await sessionFromCookies([cookie]))?.user.id).toBe(profile.id);
    await endAllSessions(profile.id);
    forgetSessionsOf(profile.id); // what the router does after the change
    expect(await sessionFromCookies([cookie])).toBeNull();
  });

  it("refuses a tampered, foreign-key or expired token", async () => {
    const { profile } = await newWriter("Guarded");
    const good = await issuedCookie(profile.id);
    const last = good.value.at(-2) === "A" ? "B" : "A";
    const tampered = { name: COOKIE, value: `${good.value.slice(0, -2)}${last}${good.value.at(-1)}` };
    const foreign = { name: COOKIE, value: await encode({ token: { sub: profile.id, sessionVersion: 0 }, secret: "another-secret-another-secret-another-secret", salt: COOKIE }) };
    const expired = await issuedCookie(profile.id, {}, -60);
    for (const cookie of [tampered, foreign, expired, { name: COOKIE, value: "not a token" }]) {
      expect(await sessionFromCookies([cookie])).toBeNull();
    }
  });
});

describe("the session cookie", () => {
  it("joins a token Auth.js split into numbered chunks, in order, and prefers the https-only name", () => {
    expect(sessionCookie([{ name: `${COOKIE}.1`, value: "def" }, { name: `${COOKIE}.0`, value: "abc" }])).toEqual({ name: COOKIE, value: "abcdef" });
    expect(sessionCookie([{ name: COOKIE, value: "plain" }, { name: `__Secure-${COOKIE}`, value: "secure" }])).toEqual({ name: `__Secure-${COOKIE}`, value: "secure" });
    expect(sessionCookie([{ name: "authjs.csrf-token", value: "x" }])).toBeNull();
  });
});

describe("Sign out", () => {
  it("ends the session on the server: a copy of the cookie taken before no longer signs anyone in", async () => {
    const { profile } = await newWriter("Leaver");
    const browser = new AuthBrowser();
    await browser.post("/api/auth/callback/credentials", { email: profile.email, password: PASSWORD });
    const captured = browser.sessionCookie();
    expect(captured).not.toBeNull();
    expect((await sessionFromCookies([captured!]))?.user.id).toBe(profile.id);

    await browser.post("/api/auth/signout", {});
    expect(browser.sessionCookie()).toBeNull();
    expect(await sessionFromCookies([captured!])).toBeNull();
    // Auth.js's own reading of the cookie agrees.
    const copy = new AuthBrowser();
    copy.cookies.set(captured!.name, captured!.value);
    expect(await (await copy.request("/api/auth/session")).json()).toBeNull();
  });

  it("ends only that browser's session", async () => {
    const { profile } = await newWriter("Twobrowsers");
    const laptop = new AuthBrowser();
    const phone = new AuthBrowser();
    await laptop.post("/api/auth/callback/credentials", { email: profile.email, password: PASSWORD });
    await phone.post("/api/auth/callback/credentials", { email: profile.email, password: PASSWORD });
    await laptop.post("/api/auth/signout", {});
    expect((await sessionFromCookies([phone.sessionCookie()!]))?.user.id).toBe(profile.id);
  });
});

describe("the live-status stream (posts.onStatusChange)", () => {
  /** A caller whose session comes from a cookie and is read again from it, as the tRPC route does. */
  async function cookieCaller(cookie: { name: string; value: string }) {
    const read = () => sessionFromCookies([cookie]);
    return createCaller(createTRPCContext({ session: await read(), headers: new Headers({ [CLIENT_ADDRESS_HEADER]: randomIp() }), revalidateSession: read }));
  }

  const statusEvent = (authorId: string): PostStatusEvent => ({
    postId: randomUUID(),
    authorId,
    version: 1,
    status: "ready",
    visibility: "draft",
    error: null,
    at: new Date().toISOString(),
  });

  it("stops delivering once a password change revokes the session it was opened with", async () => {
    const { profile } = await newWriter("Streamer");
    const api = await cookieCaller(await issuedCookie(profile.id));
    const stream = (await api.posts.onStatusChange())[Symbol.asyncIterator]();

    // Real Redis: the feed's subscription may still be starting, so announce until the first event arrives.
    let first: IteratorResult<unknown> | undefined;
    void stream.next().then((result) => (first = result));
    await eventually(async () => (first ? first : void (await announcePostStatus(statusEvent(profile.id)))), (seen) => seen !== undefined);
    // A tracked envelope: [id, event, marker].
    expect(first?.value).toContainEqual(expect.objectContaining({ authorId: profile.id }));

    await api.users.changePassword({ currentPassword: PASSWORD, newPassword: "a stream-ending secret" });
    let after: IteratorResult<unknown> | undefined;
    void stream.next().then((result) => (after = result));
    await eventually(async () => (after ? after : void (await announcePostStatus(statusEvent(profile.id)))), (seen) => seen !== undefined);
    expect(after).toEqual({ done: true, value: undefined });
  });

  it("ends an idle stream when a periodic re-check finds the session gone", async () => {
    const { profile } = await newWriter("Idle");
    const cookie = await issuedCookie(profile.id);
    const ctx = createTRPCContext({ session: await sessionFromCookies([cookie]), headers: new Headers(), revalidateSession: () => sessionFromCookies([cookie]) });
    const watch = watchSession(ctx, undefined, 50);
    expect(await watch.stillSignedIn()).toBe(true);
    await endAllSessions(profile.id);
    forgetSessionsOf(profile.id);
    await eventually(async () => watch.signal.aborted, (aborted) => aborted);
    watch.stop();
  });
});
