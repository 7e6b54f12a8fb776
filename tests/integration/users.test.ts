import { afterAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { createTRPCContext, type Session } from "@/server/api/trpc";
import { signInSlowdownMs } from "@/server/security/rate-limit";
import { authenticate } from "@/server/users/service";
import { AuthBrowser } from "./auth-browser";
import { PASSWORD, anonymous, closeConnections, errorCode, newWriter, randomIp, sessionVersionOf } from "./helpers";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";

afterAll(async () => {
  await closeConnections();
});

describe("users.register", () => {
  it("creates a writer and returns their own profile without the password hash", async () => {
    const { profile } = await newWriter("Ann");
    expect(profile).toMatchObject({ displayName: "Ann", bio: "" });
    expect(profile.email).toMatch(/^ann-.*@example\.com$/);
    expect(profile).not.toHaveProperty("passwordHash");
  });

  it("reports a taken username with CONFLICT, whatever the email", async () => {
    const { profile } = await newWriter("Bea");
    for (const email of [profile.email, `fresh-${Date.now()}@example.com`]) {
      const byName = anonymous().users.register({ email, username: profile.username, displayName: "X", password: PASSWORD });
      await expect(byName).rejects.toMatchObject({ code: "CONFLICT", message: "That username is taken." });
    }
  });

  it("refuses a username an InkWell page uses, with a sentence, and writes nothing", async () => {
    const email = `reserved-${Date.now()}@example.com`;
    for (const username of ["subscribe", "Dashboard", "sign_in", "feed"]) {
      const call = anonymous().users.register({ email, username, displayName: "R", password: PASSWORD });
      await expect(call).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { issues: [{ message: "That username is reserved for a page of InkWell. Choose another." }] } });
    }
    expect(await authenticate(email, PASSWORD)).toBeNull();
    expect((await anonymous().users.register({ email, username: `subscriber_${Date.now()}`, displayName: "R", password: PASSWORD })).status).toBe("verification-sent");
  });

  it("refuses invalid input with BAD_REQUEST and writes nothing", async () => {
    const email = `invalid-case-${Date.now()}@example.com`;
    expect(await errorCode(anonymous().users.register({ email, username: "ok_name", displayName: "X", password: "short" }))).toBe("BAD_REQUEST");
    expect(await authenticate(email, "short")).toBeNull();
    // The same email is still free: nothing was written by the refused call.
    const created = await anonymous().users.register({ email, username: `ok_${Date.now()}`, displayName: "X", password: PASSWORD });
    expect(created.email).toBe(email);
  });
});

describe("authenticate", () => {
  it("accepts the right password only, case-insensitively on the email", async () => {
    const { profile } = await newWriter("Cy");
    expect((await authenticate(profile.email.toUpperCase(), PASSWORD))?.id).toBe(profile.id);
    expect(await authenticate(profile.email, "wrong password")).toBeNull();
    expect(await authenticate("nobody@example.com", PASSWORD)).toBeNull();
  });
});

describe("users.me", () => {
  it("refuses anonymous calls with UNAUTHORIZED", async () => {
    expect(await errorCode(anonymous().users.me())).toBe("UNAUTHORIZED");
  });

  it("returns the signed-in writer", async () => {
    const { api, profile } = await newWriter("Dee");
    expect(await api.users.me()).toEqual(profile);
  });
});

describe("users.updateProfile", () => {
  it("changes display name and bio", async () => {
    const { api } = await newWriter("Eve");
    const updated = await api.users.updateProfile({ displayName: "Eve Writes", bio: "Essays on gardens." });
    expect(updated).toMatchObject({ displayName: "Eve Writes", bio: "Essays on gardens." });
    expect(await api.users.me()).toMatchObject({ displayName: "Eve Writes", bio: "Essays on gardens." });
  });

  it("refuses anonymous calls, empty updates and over-long bios", async () => {
    const { api } = await newWriter("Fay");
    expect(await errorCode(anonymous().users.updateProfile({ bio: "x" }))).toBe("UNAUTHORIZED");
    expect(await errorCode(api.users.updateProfile({}))).toBe("BAD_REQUEST");
    expect(await errorCode(api.users.updateProfile({ bio: "x".repeat(501) }))).toBe("BAD_REQUEST");
  });
});

describe("users.byUsername", () => {
  it("returns public fields only", async () => {
    const { profile } = await newWriter("Gus");
    const found = await anonymous().users.byUsername({ username: profile.username.toUpperCase() });
    expect(Object.keys(found).sort()).toEqual(["bio", "createdAt", "displayName", "id", "username"]);
    expect(found.username).toBe(profile.username);
  });

  it("answers NOT_FOUND for an unknown writer", async () => {
    expect(await errorCode(anonymous().users.byUsername({ username: "no_such_writer" }))).toBe("NOT_FOUND");
  });
});

describe("rate limits", () => {
  it("refuses sign-ups past the per-address limit with TOO_MANY_REQUESTS and a wait time", async () => {
    const ip = randomIp();
    const attempt = (n: number) =>
      anonymous(ip).users.register({ email: `burst-${n}-${ip}@example.com`, username: `burst_${n}_${ip.replaceAll(".", "_")}`, displayName: "B", password: PASSWORD });
    for (let n = 0; n < 20; n++) await attempt(n);
    await expect(attempt(20)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/^Too many attempts\. Try again in \d+ seconds\.$/) });
    // Another address is not affected.
    expect((await anonymous().users.register({ email: `other-${Date.now()}@example.com`, username: `other_${Date.now()}`, displayName: "O", password: PASSWORD })).status).toBe("verification-sent");
  });

});

describe("sign-in limits (through Auth.js's credentials route)", () => {
  it("lock the attacker's address out of an account, never the writer signing in from elsewhere", async () => {
    const { profile } = await newWriter("Hal");
    const attacker = new AuthBrowser();
    const answers: (string | null)[] = [];
    for (let n = 0; n < 12; n++) answers.push(await attacker.signIn(profile.email, `guess number ${n}`));
    expect(answers.slice(0, 5)).toEqual(Array(5).fill("credentials"));
    for (const answer of answers.slice(5)) expect(answer).toMatch(/^rate_limited:\d+$/);
    // Even the right password is refused from the attacker's address now.
    expect(await attacker.signIn(profile.email, PASSWORD)).toMatch(/^rate_limited:\d+$/);

    expect(await new AuthBrowser().signIn(profile.email, PASSWORD)).toBeNull();
  });

  it("let the writer in from a clean address while many addresses guess the account (a distributed guess)", async () => {
    const { profile } = await newWriter("Ida");
    for (let n = 0; n < 15; n++) expect(await new AuthBrowser().signIn(profile.email, `wrong guess ${n}`)).toBe("credentials");
    expect(await new AuthBrowser().signIn(profile.email, PASSWORD)).toBeNull();
  });

  it("refuse an address spraying guesses over many accounts", async () => {
    const sprayer = new AuthBrowser();
    for (let n = 0; n < 30; n++) expect(await sprayer.signIn(`sprayed-${n}-${sprayer.ip}@example.com`, "Summer2026!")).toBe("credentials");
    const { profile } = await newWriter("Jan");
    expect(await sprayer.signIn(profile.email, PASSWORD)).toMatch(/^rate_limited:\d+$/);
  });

  it("forget a writer's own typos once they sign in", async () => {
    const { profile } = await newWriter("Kay");
    const laptop = new AuthBrowser();
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 4; n++) expect(await laptop.signIn(profile.email, "a typo")).toBe("credentials");
      expect(await laptop.signIn(profile.email, PASSWORD)).toBeNull();
    }
  });

  it("slow down only addresses that failed on an account that many addresses failed on", () => {
    expect(signInSlowdownMs(50, 0)).toBe(0);
    expect(signInSlowdownMs(9, 3)).toBe(0);
    expect(signInSlowdownMs(10, 1)).toBeGreaterThan(0);
    expect(signInSlowdownMs(12, 1)).toBeGreaterThan(signInSlowdownMs(10, 1));
    expect(signInSlowdownMs(10_000, 1)).toBe(signInSlowdownMs(100_000, 1));
  });
});

describe("common passwords", () => {
  it("refuses a password from the common-password list, naming the password field", async () => {
    const call = anonymous().users.register({ email: `common-${Date.now()}@example.com`, username: `common_${Date.now()}`, displayName: "C", password: "Password1" });
    await expect(call).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { issues: [expect.objectContaining({ path: ["password"], message: expect.stringContaining("most common") })] },
    });
  });
});

describe("users.changePassword", () => {
  it("asks for the current password, then ends every session and accepts only the new password", async () => {
    const { api, profile } = await newWriter("Ivy");
    const before = await sessionVersionOf(profile.id);
    await expect(api.users.changePassword({ currentPassword: "not it at all", newPassword: "a brand new secret" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Your current password is not right.",
    });
    expect(await sessionVersionOf(profile.id)).toBe(before);

    expect(await api.users.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new secret" })).toEqual({ ok: true });
    expect(await authenticate(profile.email, PASSWORD)).toBeNull();
    expect((await authenticate(profile.email, "a brand new secret"))?.id).toBe(profile.id);
    expect(await sessionVersionOf(profile.id)).toBe(before + 1);
  });

  it("refuses a common new password and the same password again", async () => {
    const { api } = await newWriter("Jo");
    expect(await errorCode(api.users.changePassword({ currentPassword: PASSWORD, newPassword: "iloveyou1" }))).toBe("BAD_REQUEST");
    expect(await errorCode(api.users.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }))).toBe("BAD_REQUEST");
  });
});

describe("users.changeEmail", () => {
  it("asks for the current password and changes nothing until the new address confirms", async () => {
    const { api, profile } = await newWriter("Kit");
    const fresh = `kit-${Date.now()}@example.com`;
    expect(await errorCode(api.users.changeEmail({ currentPassword: "wrong password", email: fresh }))).toBe("BAD_REQUEST");
    expect(await errorCode(api.users.changeEmail({ currentPassword: PASSWORD, email: profile.email }))).toBe("BAD_REQUEST");
    expect(await api.users.changeEmail({ currentPassword: PASSWORD, email: fresh.toUpperCase() })).toEqual({ status: "confirmation-sent", email: fresh });
    expect((await api.users.me()).email).toBe(profile.email);
  });

  it("answers the same for an address of another account", async () => {
    const { api } = await newWriter("Kat");
    const other = await newWriter("Lou");
    expect(await api.users.changeEmail({ currentPassword: PASSWORD, email: other.profile.email })).toEqual({ status: "confirmation-sent", email: other.profile.email });
  });
});

describe("current-password checks", () => {
  /** The writer's session, calling from a new address each time (guesses spread over addresses). */
  const fromNewAddress = (session: Session) => createCaller(createTRPCContext({ session, headers: new Headers({ [CLIENT_ADDRESS_HEADER]: randomIp() }) }));

  it("are counted per account across change of password and change of email: the sixth miss is refused, even with the right password", async () => {
    const { session } = await newWriter("Lea");
    for (let n = 0; n < 3; n++) expect(await errorCode(fromNewAddress(session).users.changePassword({ currentPassword: `guess ${n}`, newPassword: "a brand new secret" }))).toBe("BAD_REQUEST");
    for (let n = 0; n < 2; n++) expect(await errorCode(fromNewAddress(session).users.changeEmail({ currentPassword: `guess ${n}`, email: `lea-${n}@example.com` }))).toBe("BAD_REQUEST");
    await expect(fromNewAddress(session).users.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new secret" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^Too many password attempts\. Try again in \d+ seconds\.$/),
    });
    expect(await authenticate(session.user.email, PASSWORD)).not.toBeNull();
  });

  it("start again from zero after a right one", async () => {
    const { session } = await newWriter("Mo");
    for (let n = 0; n < 4; n++) expect(await errorCode(fromNewAddress(session).users.changePassword({ currentPassword: "typo", newPassword: "a brand new secret" }))).toBe("BAD_REQUEST");
    expect(await fromNewAddress(session).users.changeEmail({ currentPassword: PASSWORD, email: `mo-${Date.now()}@example.com` })).toMatchObject({ status: "confirmation-sent" });
    for (let n = 0; n < 4; n++) expect(await errorCode(fromNewAddress(session).users.changePassword({ currentPassword: "typo", newPassword: "a brand new secret" }))).toBe("BAD_REQUEST");
    expect(await fromNewAddress(session).users.changePassword({ currentPassword: PASSWORD, newPassword: "a brand new secret" })).toEqual({ ok: true });
  });
});

describe("users.signOutEverywhere", () => {
  it("invalidates every session by bumping the session version", async () => {
    const { api, profile } = await newWriter("Max");
    const before = await sessionVersionOf(profile.id);
    await api.users.signOutEverywhere();
    expect(await sessionVersionOf(profile.id)).toBe(before + 1);
    expect(await errorCode(anonymous().users.signOutEverywhere())).toBe("UNAUTHORIZED");
  });
});
