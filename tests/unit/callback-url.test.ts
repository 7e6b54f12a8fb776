import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/app/(auth)/_lib/callback-url";
import { env } from "@/server/env.js";

const APP = new URL(env.APP_URL);

/** Where a browser goes when it follows `location` from a page of the app (a 307, or location.assign). */
const destination = (location: string) => new URL(location, new URL("/sign-in?callbackUrl=x", APP));

// Ways to write "another host" that a naive check ("starts with / but not //") lets through, or that a
// browser or URL parser turns into one: dot segments (also percent-encoded), backslashes, control
// characters that parsers drop, encoded slashes, schemes, and double encodings.
const OFF_SITE = [
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "/..//evil.example/x",
  "/../..//evil.example",
  "/%2e//evil.example",
  "/%2E//evil.example",
  "/%2e%2e//evil.example",
  "/.%2e//evil.example",
  "/a/..//evil.example",
  "/a/../..//evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\t\\evil.example",
  "\t//evil.example",
  " //evil.example",
  "/./\t/evil.example",
  "https://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "http:\\\\evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "%2f%2fevil.example",
  "%5c%5cevil.example",
  "https://evil.example@" + APP.host,
  `${APP.origin}.evil.example/`,
];

// Ways that look suspicious but stay on the site: they may come back normalized, never off-site.
const STAYS_ON_SITE = [
  "/%2f%2fevil.example",
  "/%2F/evil.example",
  "/%5c%5cevil.example",
  "/%5C/evil.example",
  "/%252f%252fevil.example",
  "/%25%32%65//evil.example",
  "/%2e%2e%2f%2f/evil.example",
  "/@evil.example",
  "/evil.example",
  "/x//evil.example",
];

describe("safeCallbackUrl", () => {
  it.each(OFF_SITE)("refuses %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/dashboard");
  });

  it.each(STAYS_ON_SITE)("keeps %j on the site", (value) => {
    const result = safeCallbackUrl(value);
    expect(result).toMatch(/^\/(?![/\\])/);
    expect(destination(result).origin).toBe(APP.origin);
  });

  it("keeps a path on the site with its query and fragment", () => {
    expect(safeCallbackUrl("/editor/123?tab=history#top")).toBe("/editor/123?tab=history#top");
    expect(safeCallbackUrl(["/dashboard/settings", "//evil.example"])).toBe("/dashboard/settings");
  });

  it("sends nobody back to the auth pages (a loop) and falls back on nothing", () => {
    expect(safeCallbackUrl("/sign-in")).toBe("/dashboard");
    expect(safeCallbackUrl("/./sign-up?x=1")).toBe("/dashboard");
    expect(safeCallbackUrl(undefined)).toBe("/dashboard");
    expect(safeCallbackUrl("")).toBe("/dashboard");
    expect(safeCallbackUrl([])).toBe("/dashboard");
  });

  it("never returns a place off the site, whatever the input (every pair of tricky pieces)", () => {
    const pieces = ["/", "\\", ".", "..", "%2e", "%2f", "%5c", "\t", "\n", "evil.example", ":", "@", "?", "#", "%", "%25"];
    for (const a of pieces) {
      for (const b of pieces) {
        for (const c of pieces) {
          const result = safeCallbackUrl(`/${a}${b}${c}evil.example/x`);
          expect(destination(result).origin, JSON.stringify(`/${a}${b}${c}`)).toBe(APP.origin);
          expect(result).toMatch(/^\/(?![/\\])/);
        }
      }
    }
  });
});
