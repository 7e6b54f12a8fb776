import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isReservedUsername, ROUTE_SEGMENTS } from "@/lib/validations/reserved-usernames";
import { newUsernameSchema, usernameSchema, userRegisterSchema } from "@/lib/validations/user";

const root = path.resolve(__dirname, "../..");

/** Files of app/ that are no route: layouts, pages of the parent, styles, private folders. */
const NOT_A_SEGMENT = /^(layout|page|loading|not-found|error|global-error|template|default)\.tsx?$|\.css$|^_/;
/** Metadata files served under another name. */
const SERVED_AS: Record<string, string> = { "robots.ts": "robots.txt", "sitemap.ts": "sitemap.xml", "icon.tsx": "icon", "manifest.ts": "manifest.webmanifest" };

/** The first path segment of every route under `dir`, opening route groups `(name)` and skipping `[param]`. */
function routeSegments(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith("(") && entry.isDirectory()) return routeSegments(path.join(dir, entry.name));
    if (entry.name.startsWith("[") || NOT_A_SEGMENT.test(entry.name)) return [];
    return [SERVED_AS[entry.name] ?? entry.name];
  });
}

describe("reserved usernames", () => {
  it("cover every top-level route of app/ and every file of public/", () => {
    const served = [...routeSegments(path.join(root, "app")), ...readdirSync(path.join(root, "public"))];
    expect(served).toContain("subscribe");
    expect([...ROUTE_SEGMENTS].sort()).toEqual([...new Set(served)].sort());
  });

  it("keep back every spelling a username could give a route", () => {
    for (const name of ["subscribe", "unsubscribe", "subscriptions", "media", "api", "dashboard", "settings", "search", "tags", "feed", "sitemap", "robots_txt", "sign_in", "signup", "Dashboard"]) {
      expect(isReservedUsername(name), name).toBe(true);
    }
    for (const name of ["alice", "subscriber_jane", "api_fan", "tagsmith"]) expect(isReservedUsername(name), name).toBe(false);
  });

  it("refuse them at sign-up with a sentence, while look-ups still accept them", () => {
    const result = userRegisterSchema.safeParse({ email: "a@example.com", username: "Subscribe", displayName: "A", password: "correct horse battery" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(["That username is reserved for a page of InkWell. Choose another."]);
    expect(newUsernameSchema.safeParse("writer_one").success).toBe(true);
    expect(usernameSchema.safeParse("dashboard").success).toBe(true);
  });
});
