import { describe, expect, it } from "vitest";
import { SESSION_CACHE_MS, cachedSession, forgetSessionsOf, rememberSession } from "@/server/auth/session-cache";

const session = (id: string) => ({ user: { id, email: `${id}@example.com`, username: id, name: id } });

describe("the session cache", () => {
  it("keeps a session for SESSION_CACHE_MS, then reads it again", () => {
    rememberSession("cookie-a", session("a"), 1_000);
    expect(cachedSession("cookie-a", 1_000 + SESSION_CACHE_MS - 1)?.session?.user.id).toBe("a");
    expect(cachedSession("cookie-a", 1_000 + SESSION_CACHE_MS)).toBeUndefined();
  });

  it("forgets every cached session of one writer at once, and only theirs", () => {
    const now = Date.now();
    rememberSession("laptop", session("w1"), now);
    rememberSession("phone", session("w1"), now);
    rememberSession("other", session("w2"), now);
    forgetSessionsOf("w1");
    expect(cachedSession("laptop", now)).toBeUndefined();
    expect(cachedSession("phone", now)).toBeUndefined();
    expect(cachedSession("other", now)?.session?.user.id).toBe("w2");
  });
});
