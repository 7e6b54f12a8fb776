import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { forgetSessionsOf } from "@/server/auth/session-cache";
import { sessionCookie, sessionFromCookies } from "@/server/auth/session";
import { endAllSessions, startSession } from "@/server/users/service";
import { closeConnections, newWriter, sessionVersionOf } from "./helpers";

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
