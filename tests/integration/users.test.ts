import { afterAll, describe, expect, it } from "vitest";
import { authenticate } from "@/server/users/service";
import { RateLimitedError, limitSignInAttempt, recordSignInResult } from "@/server/security/rate-limit";
import { PASSWORD, anonymous, closeConnections, errorCode, newWriter, randomIp, sessionVersionOf } from "./helpers";

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

  it("locks an account after repeated wrong passwords, whatever the address", async () => {
    const { profile } = await newWriter("Hal");
    for (let n = 0; n < 10; n++) {
      await limitSignInAttempt(randomIp(), profile.email);
      await recordSignInResult(profile.email, false);
    }
    await expect(limitSignInAttempt(randomIp(), profile.email)).rejects.toBeInstanceOf(RateLimitedError);
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

describe("users.signOutEverywhere", () => {
  it("invalidates every session by bumping the session version", async () => {
    const { api, profile } = await newWriter("Max");
    const before = await sessionVersionOf(profile.id);
    await api.users.signOutEverywhere();
    expect(await sessionVersionOf(profile.id)).toBe(before + 1);
    expect(await errorCode(anonymous().users.signOutEverywhere())).toBe("UNAUTHORIZED");
  });
});
