import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OriginCache } from "@/server/cache/origin-cache";
import { purgeForPostChange, purgeForProfileChange, setPurgers, type PurgeRequest } from "@/server/cache/purge";
import { addressIndexKey, purgeChannel } from "@/server/cache/purge-protocol";
import { authorKey, postKey } from "@/server/cache/public-routes";
import { env } from "@/server/env.js";
import { closeConnections, eventually, newWriter } from "./helpers";

// Purges (server/cache/purge.ts) and the origin cache that hears them (server/cache/origin-cache.ts), on
// the real Redis: what a change purges, where the purge goes, and what the origin cache then serves.
// The "render" here stands in for Next: it counts how often the page had to be made.

const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
const subscriber = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
const heard: string[][] = [];
const purged: PurgeRequest[] = [];

let server: Server;
let baseUrl: string;
let cache: OriginCache;
let renders = 0;
let pageText = "first";

function render(req: IncomingMessage, res: ServerResponse): void {
  renders += 1;
  const nonce = randomUUID();
  const url = req.url ?? "/";
  setTimeout(() => {
    if (url.startsWith("/@writer/sets-cookie")) res.setHeader("set-cookie", "session=abc");
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.setHeader("content-security-policy", `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    res.setHeader("cache-control", "private, no-cache, no-store");
    res.write(`<html><head><meta name="inkwell-cache-keys" content="post:00000000-0000-4000-8000-000000000001"/>`);
    res.end(`<script nonce="${nonce}">self.x=1</script></head><body>${pageText} ${req.headers.cookie ?? "no cookie"}</body></html>`);
  }, url.startsWith("/@writer/purged-mid-render") ? 500 : 20);
}

beforeAll(async () => {
  await subscriber.subscribe(purgeChannel(env.QUEUE_PREFIX));
  subscriber.on("message", (_channel: string, message: string) => heard.push((JSON.parse(message) as { keys: string[] }).keys));
  setPurgers([{ name: "recording", purge: async (request) => void purged.push(request) }]);
  cache = new OriginCache({ maxBytes: 8 * 1024 * 1024, redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX });
  // Until then a render is not stored: connecting purges everything, as purges may have been missed.
  await cache.listening;
  server = createServer((req, res) => {
    if (!cache.handle(req, res, () => render(req, res))) render(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await Promise.all([redis.quit(), subscriber.quit(), cache.close()]);
  await closeConnections();
});

describe("the origin cache", () => {
  it("renders a public page once, whoever asks and however many at once, and serves the stored bytes after", async () => {
    renders = 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(`${baseUrl}/@writer/a-post?utm_source=${i}`, { headers: { cookie: `session=${i}` } })),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(renders).toBe(1);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain("no cookie"); // rendered without the reader's cookies
    const stored = await fetch(`${baseUrl}/@writer/a-post`);
    expect(stored.headers.get("x-inkwell-origin-cache")).toBe("HIT");
    expect(stored.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=3600/);
    expect(stored.headers.get("surrogate-key")).toBe("author:writer post:00000000-0000-4000-8000-000000000001");
    expect(stored.headers.get("content-security-policy")).toMatch(/^script-src 'self' 'sha256-[\w+/=]+'$/);
    const revalidated = await fetch(`${baseUrl}/@writer/a-post`, { headers: { "if-none-match": stored.headers.get("etag")! } });
    expect(revalidated.status).toBe(304);
    expect(renders).toBe(1);
  });

  it("drops a page as soon as a purge of one of its keys is heard, and indexes its address for shared caches", async () => {
    expect(await redis.smembers(addressIndexKey(env.QUEUE_PREFIX, "post:00000000-0000-4000-8000-000000000001"))).toContain("/@writer/a-post");
    renders = 0;
    pageText = "second";
    await redis.publish(purgeChannel(env.QUEUE_PREFIX), JSON.stringify({ keys: ["post:00000000-0000-4000-8000-000000000001"] }));
    const fresh = await eventually(
      async () => (await fetch(`${baseUrl}/@writer/a-post`)).text(),
      (body) => body.includes("second"),
    );
    expect(fresh).toContain("second");
    expect(renders).toBe(1);
  });

  it("a page purged while it rendered is answered, but neither stored nor left to shared caches", async () => {
    renders = 0;
    const answering = fetch(`${baseUrl}/@writer/purged-mid-render`);
    await eventually(async () => renders, (count) => count === 1);
    cache.purge(["author:writer"]); // heard while the (500 ms) render is under way
    const answer = await answering;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    const again = await fetch(`${baseUrl}/@writer/purged-mid-render`);
    expect(again.headers.get("x-inkwell-origin-cache")).toBe("MISS");
    expect(again.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=/);
    expect(renders).toBe(2);
  });

  it("never stores or shares an answer that sets a cookie, nor leaves anything else to the cache", async () => {
    renders = 0;
    for (let i = 0; i < 2; i += 1) {
      const answer = await fetch(`${baseUrl}/@writer/sets-cookie`);
      expect(answer.headers.get("cache-control")).toBe("private, no-store");
      expect(answer.headers.get("x-inkwell-origin-cache")).toBe("BYPASS");
    }
    expect(renders).toBe(2);
    renders = 0;
    await fetch(`${baseUrl}/search?q=x`);
    await fetch(`${baseUrl}/search?q=x`);
    expect(renders).toBe(2);
  });
});

describe("purges", () => {
  it("a post added to the site purges it, every page of its writer and the lists, in every web process and every shared cache", async () => {
    const writer = await newWriter("Purger");
    const postId = randomUUID();
    const address = `/@${writer.profile.username}/harbour`;
    await redis.sadd(addressIndexKey(env.QUEUE_PREFIX, postKey(postId)), address);
    await redis.sadd(addressIndexKey(env.QUEUE_PREFIX, "lists"), "/");
    await purgeForPostChange({ postId, authorId: writer.profile.id, readers: "added" });
    const keys = [postKey(postId), authorKey(writer.profile.username), "lists"];
    await eventually(async () => heard, (all) => all.some((k) => JSON.stringify(k) === JSON.stringify(keys)));
    const request = purged.find((r) => JSON.stringify(r.keys) === JSON.stringify(keys));
    expect(request?.addresses.sort()).toEqual(["/", address].sort());

    const before = heard.length;
    await purgeForPostChange({ postId, authorId: writer.profile.id }); // nothing public changed: nothing
    await purgeForProfileChange(writer.profile.id);
    await eventually(async () => heard.slice(before), (all) => all.some((k) => k.includes(authorKey(writer.profile.username))));
    expect(heard.slice(before).every((k) => !k.includes(postKey(postId)))).toBe(true);
  });
});
