import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashInlineScripts, toEntry } from "@/server/cache/origin-cache";
import { cacheAddress, publicCachePolicy, responseKeys } from "@/server/cache/public-routes";

const POST_ID = "00000000-0000-4000-8000-000000000001";

describe("publicCachePolicy: which addresses shared caches may keep", () => {
  it("keeps every reading page, feed, the sitemap, robots and the REST GETs", () => {
    for (const path of ["/", "/tags", "/tags/web", "/tags/web/feed.xml", "/feed.xml", "/sitemap.xml", "/robots.txt", "/@alice", "/%40alice", "/@alice/feed.xml", "/@alice/a-post", "/api/v1/posts", "/api/v1/posts/alice/a-post", "/api/v1/authors/alice", "/api/v1/openapi.json"]) {
      expect(publicCachePolicy(path), path).not.toBeNull();
    }
  });

  it("keeps nothing per viewer: search, sign-in, the dashboard, the editor, tRPC, the viewer's own answer", () => {
    for (const path of ["/search", "/api/v1/search", "/sign-in", "/dashboard", "/editor/new", "/api/trpc/posts.list", "/api/viewer", "/api/health", "/alice"]) {
      expect(publicCachePolicy(path), path).toBeNull();
    }
  });

  it("names a writer's pages by their lower-cased username", () => {
    expect(publicCachePolicy("/@Alice/a-post")?.keys).toEqual(["author:alice"]);
    expect(publicCachePolicy("/api/v1/authors/%40alice")?.keys).toEqual(["author:alice"]);
  });
});

describe("cacheAddress: unknown parameters cannot make new entries; pagination does", () => {
  const home = publicCachePolicy("/")!;
  const api = publicCachePolicy("/api/v1/posts")!;
  it("drops tracking parameters and keeps the cursor", () => {
    expect(cacheAddress("/", "?utm_source=x&fbclid=y", home)).toBe("/");
    expect(cacheAddress("/", "?utm_source=x&cursor=abc", home)).toBe("/?cursor=abc");
    expect(cacheAddress("/@alice/post", "?cursor=abc", publicCachePolicy("/@alice/post")!)).toBe("/@alice/post");
  });
  it("keeps the REST filters in a fixed order, the first value of each", () => {
    expect(cacheAddress("/api/v1/posts", "?tag=web&limit=5&x=1&limit=9", api)).toBe("/api/v1/posts?limit=5&tag=web");
  });
});

describe("surrogate keys", () => {
  it("adds the page's own keys from its marker and a route handler's header", () => {
    const policy = publicCachePolicy("/@alice/a-post")!;
    const html = `<head><meta name="inkwell-cache-keys" content="post:${POST_ID}"/></head>`;
    expect(responseKeys(policy, undefined, html)).toEqual(["author:alice", `post:${POST_ID}`]);
    expect(responseKeys(policy, `post:${POST_ID}`, null)).toEqual(["author:alice", `post:${POST_ID}`]);
  });
  it("a writer's list pages carry the list key beside the writer's; a post page carries the writer's only", () => {
    expect(publicCachePolicy("/@Alice")!.keys).toEqual(["author:alice", "author-list:alice"]);
    expect(publicCachePolicy("/@alice/feed.xml")!.keys).toEqual(["author:alice", "author-list:alice"]);
    expect(publicCachePolicy("/@alice/a-post")!.keys).toEqual(["author:alice"]);
  });
});

describe("hashInlineScripts: the CSP of a stored page", () => {
  const policy = "default-src 'self'; script-src 'self' 'nonce-abc123' 'strict-dynamic'; object-src 'none'";
  const own = "self.__next_f.push([1,\"x\"])";
  const html = `<html><head><script nonce="abc123">${own}</script><script src="/_next/static/a.js" nonce="abc123" async=""></script></head>` +
    `<body><article><script>alert(1)</script></article></body></html>`;

  it("allows by hash exactly the inline scripts that carried the render's nonce, and removes the nonce", () => {
    const result = hashInlineScripts(html, policy);
    const hash = createHash("sha256").update(own).digest("base64");
    expect(result.policy).toBe(`default-src 'self'; script-src 'self' 'sha256-${hash}'; object-src 'none'`);
    expect(result.html).not.toContain("abc123");
    expect(result.html).toContain("<script>alert(1)</script>"); // still there, but no hash allows it
    expect(result.policy).not.toContain(createHash("sha256").update("alert(1)").digest("base64"));
  });

  it("stores no trace of the render's nonce: not in the page, the policy or Next's preload header", () => {
    const link = '</_next/static/a.css>; rel=preload; as="style"; nonce="abc123", </_next/static/a.js>; rel=preload; as="script"; nonce="abc123"';
    const answer = { status: 200, headers: { "content-type": "text/html", "content-security-policy": policy, link }, body: Buffer.from(html) };
    const entry = toEntry(answer, publicCachePolicy("/@alice/a-post")!, 0)!;
    expect(entry.headers.link).toBe('</_next/static/a.css>; rel=preload; as="style", </_next/static/a.js>; rel=preload; as="script"');
    expect(JSON.stringify(entry.headers)).not.toContain("abc123");
    expect(entry.body.toString()).not.toContain("abc123");
  });

  it("never stores an answer that sets a cookie, or anything but a 200", () => {
    const policyOf = publicCachePolicy("/@alice/a-post")!;
    const answer = { status: 200, headers: { "content-type": "text/html", "content-security-policy": policy }, body: Buffer.from(html) };
    const entry = toEntry(answer, policyOf, 0)!;
    expect(entry.headers["cache-control"]).toMatch(/^public, max-age=0, s-maxage=3600/);
    expect(entry.etag).toMatch(/^"[\w-]+"$/);
    expect(toEntry({ ...answer, headers: { ...answer.headers, "set-cookie": "a=b" } }, policyOf, 0)).toBeNull();
    expect(toEntry({ ...answer, status: 404 }, policyOf, 0)).toBeNull();
  });
});
