import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/auth/[...nextauth]/route";
import { env } from "@/server/env.js";
import { closeConnections } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

// Next hands route handlers a URL built on its own listening address (and turns 127.0.0.1 into
// "localhost" when it re-parses one); the tests' APP_URL is http://127.0.0.1:3000, so a URL built from
// the request would show the difference.
const internalOrigin = "http://localhost:3999";

describe("Auth.js URLs", () => {
  it("sends the writer back to APP_URL, not to the address the server listens on", async () => {
    expect(new URL(env.APP_URL).origin).not.toBe(internalOrigin);
    const response = await GET(new NextRequest(`${internalOrigin}/api/auth/signin`));
    const location = new URL(response.headers.get("location") ?? "", env.APP_URL);
    expect(location.pathname).toBe("/sign-in");
    // Where to return after signing in: Auth.js's default is the origin it believes it serves.
    expect(location.searchParams.get("callbackUrl")).toBe(new URL(env.APP_URL).origin);
  });

  it("puts APP_URL in the URLs of its JSON answers", async () => {
    const response = await GET(new NextRequest(`${internalOrigin}/api/auth/providers`));
    const providers = (await response.json()) as Record<string, { signinUrl: string; callbackUrl: string }>;
    expect(Object.keys(providers).length).toBeGreaterThan(0);
    for (const provider of Object.values(providers)) {
      expect(provider.signinUrl.startsWith(`${new URL(env.APP_URL).origin}/api/auth/`)).toBe(true);
      expect(provider.callbackUrl.startsWith(`${new URL(env.APP_URL).origin}/api/auth/`)).toBe(true);
    }
  });
});
