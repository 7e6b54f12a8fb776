import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as uploadImage } from "@/app/api/media/uploads/route";
import { POST as uploadArchive } from "@/app/api/portability/imports/route";
import { env } from "@/server/env.js";
import { closeConnections } from "./helpers";

// The two routes that take a file outside tRPC check the request's Origin themselves (route handlers
// under /api are outside the proxy): a page on another site cannot make a signed-in writer's browser
// upload into their library or start an import.

afterAll(async () => {
  await closeConnections();
});

const routes = [
  ["image upload", "/api/media/uploads", uploadImage],
  ["archive import", "/api/portability/imports", uploadArchive],
] as const;

describe("upload routes", () => {
  for (const [name, path, post] of routes) {
    it(`${name}: refuses a foreign Origin before reading the session or the body`, async () => {
      const url = new URL(path, env.APP_URL);
      const body = new Uint8Array(16);
      const foreign = await post(new NextRequest(url, { method: "POST", body, headers: { origin: "https://evil.example", host: url.host } }));
      expect(foreign.status).toBe(403);
      expect(await foreign.json()).toMatchObject({ error: { message: "Cross-site requests are not allowed." } });
    });
  }
});
