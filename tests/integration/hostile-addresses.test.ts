import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { GET as authorRoute } from "@/app/api/v1/authors/[username]/route";
import { GET as postRoute } from "@/app/api/v1/posts/[username]/[slug]/route";
import { GET as postsRoute } from "@/app/api/v1/posts/route";
import { GET as searchRoute } from "@/app/api/v1/search/route";
import { appRouter } from "@/server/api/root";
import { INTERNAL_ERROR_MESSAGE, createTRPCContext, createTRPCRouter, publicProcedure, type Session } from "@/server/api/trpc";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";
import { eventually, newWriter, randomIp, startWorkerForFile } from "./helpers";

startWorkerForFile();

const b64 = (text: string) => Buffer.from(text).toString("base64url");
const uuid = randomUUID();

// Cursors a client can make up: not base64url, base64url of garbage, of dates PostgreSQL cannot hold
// or JavaScript reads leniently, of ids that are not UUIDs, other spellings of a real position.
const HOSTILE_CURSORS = [
  "",
  " ",
  "%",
  "%zz",
  "%c0%af",
  "\u0000",
  "a\u0000b",
  "-1",
  "0",
  "!!!!",
  "🙂",
  "x".repeat(199),
  b64("garbage"),
  b64("|"),
  b64(`|${uuid}`),
  b64(`-271821-04-20T00:00:00.000Z|${uuid}`),
  b64(`+275760-09-13T00:00:00.000Z|${uuid}`),
  b64(`1969-12-31T23:59:59.999Z|${uuid}`),
  b64(`1|${uuid}`),
  b64(`2024-02-30T00:00:00.000Z|${uuid}`),
  b64(`2024-01-01|${uuid}`),
  b64(`2024-01-01T00:00:00.000Z|------------------------------------`),
  b64(`2024-01-01T00:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz`),
  b64(`2024-01-01T00:00:00.000Z|${uuid.toUpperCase()}`),
  b64(`2024-01-01T00:00:00.000Z|${uuid}|extra`),
  b64(`2024-01-01T00:00:00.000Z|${uuid}\u0000`),
  b64(`2024-01-01T00:00:00.000Z|${uuid}`) + "==",
  Buffer.from(`2024-01-01T00:00:00.000Z|${uuid}`).toString("base64").replace(/=+$/, "") + "+/",
  b64(b64(`2024-01-01T00:00:00.000Z|${uuid}`)),
];

// Path segments as they arrive raw (percent-encoded) at a route.
const HOSTILE_SEGMENTS = ["%", "%zz", "%c0%af", "%00", "a%00b", "%E0%A4%A", "%ff", "x".repeat(5000), "%2e%2e", "..", "@", "%40", "a'b", "a%27%3B--", "%5c", "%252f", "\u0000"];

// SQL or stack text that must never reach a client.
const LEAK = /select |insert |update "|from "|failed query|params:|postgres|\bat [\w.<>]+ \(|node_modules/i;

async function expectCleanRefusal(response: Response, allowed: number[], label: string) {
  const body = await response.text();
  expect(allowed, `${label}: ${response.status} ${body.slice(0, 300)}`).toContain(response.status);
  expect(body, label).not.toMatch(LEAK);
}

function trpcGet(path: string, input: unknown, session: Session | null = null): Promise<Response> {
  const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: randomIp() });
  const url = `http://127.0.0.1:3000/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req: new Request(url, { headers }),
    createContext: () => createTRPCContext({ session, headers }),
  });
}

describe("made-up cursors", () => {
  it("answer 400 with a clear message on tRPC, the writer's list included, and never reach the database", async () => {
    const { session } = await newWriter("Cursor");
    for (const cursor of HOSTILE_CURSORS) {
      for (const [path, input, who] of [
        ["posts.published", { cursor }, null],
        ["posts.published", { cursor, tag: "walks" }, null],
        ["posts.list", { cursor }, session],
      ] as const) {
        const response = await trpcGet(path, input, who);
        // An empty cursor is no cursor: the first page.
        await expectCleanRefusal(response.clone(), cursor === "" ? [200] : [400], `${path} ${JSON.stringify(cursor)}`);
        const body = (await response.json()) as { error: { json: { message: string } } };
        if (cursor.length > 0) expect(body.error.json.message).toBe("This page link is broken or out of date; start again from the first page.");
      }
    }
  });

  it("answer 400 on the REST API", async () => {
    for (const cursor of HOSTILE_CURSORS.filter(Boolean)) {
      const response = await postsRoute(new Request(`http://127.0.0.1:3000/api/v1/posts?cursor=${encodeURIComponent(cursor)}`));
      await expectCleanRefusal(response, [400], JSON.stringify(cursor));
    }
  });

  it("still page through real posts (the control)", async () => {
    const { api } = await newWriter("Pager");
    for (const title of ["Page one", "Page two"]) {
      const post = await api.posts.create({ title, markdown: "x" });
      await api.posts.publish({ id: post.id });
      await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion !== null);
    }
    const first = (await (await postsRoute(new Request("http://127.0.0.1:3000/api/v1/posts?limit=1"))).json()) as { nextCursor: string };
    const second = await postsRoute(new Request(`http://127.0.0.1:3000/api/v1/posts?limit=1&cursor=${first.nextCursor}`));
    expect(second.status).toBe(200);
    expect((await trpcGet("posts.published", { cursor: first.nextCursor, limit: 1 })).status).toBe(200);
  });
});

describe("hostile names in REST paths and queries", () => {
  it("answer 404 or 400, never 500, and never quote SQL", async () => {
    for (const segment of HOSTILE_SEGMENTS) {
      const label = JSON.stringify(segment);
      await expectCleanRefusal(
        await postRoute(new Request("http://127.0.0.1:3000/api/v1/posts/x/y"), { params: Promise.resolve({ username: segment, slug: "a-post" }) }),
        [404],
        `post username ${label}`,
      );
      await expectCleanRefusal(
        await postRoute(new Request("http://127.0.0.1:3000/api/v1/posts/x/y"), { params: Promise.resolve({ username: "someone", slug: segment }) }),
        [404],
        `post slug ${label}`,
      );
      await expectCleanRefusal(
        await authorRoute(new Request("http://127.0.0.1:3000/api/v1/authors/x"), { params: Promise.resolve({ username: segment }) }),
        [404],
        `author ${label}`,
      );
    }
    for (const value of ["\u0000", "a\u0000", "%", "%zz", "\u0002", "\ud800", "x".repeat(300), "@nobody", "'; drop table posts; --"]) {
      const query = (name: string) => new URLSearchParams({ [name]: value }).toString();
      await expectCleanRefusal(await postsRoute(new Request(`http://127.0.0.1:3000/api/v1/posts?${query("author")}`)), [400, 404], `author= ${JSON.stringify(value)}`);
      await expectCleanRefusal(await postsRoute(new Request(`http://127.0.0.1:3000/api/v1/posts?${query("tag")}`)), [200, 400], `tag= ${JSON.stringify(value)}`);
      await expectCleanRefusal(await searchRoute(new Request(`http://127.0.0.1:3000/api/v1/search?${query("q")}`)), [200, 400], `q= ${JSON.stringify(value)}`);
      await expectCleanRefusal(await trpcGet("posts.bySlug", { username: value, slug: value }), [400, 404], `bySlug ${JSON.stringify(value)}`);
      await expectCleanRefusal(await trpcGet("posts.byAuthor", { username: value }), [400, 404], `byAuthor ${JSON.stringify(value)}`);
      await expectCleanRefusal(await trpcGet("posts.search", { q: value }), [200, 400], `search ${JSON.stringify(value)}`);
    }
  });
});

describe("unexpected server errors", () => {
  // A procedure failing the way a database error does: its message quotes the SQL and the parameters.
  const failing = createTRPCRouter({
    boom: publicProcedure.query(() => {
      throw new Error('Failed query: select "password_hash" from "users"."users" where "email" = $1\nparams: victim@example.com');
    }),
  });

  it("reach tRPC clients as a generic message, without the error's text, cause or stack", async () => {
    const headers = new Headers();
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: failing,
      req: new Request("http://127.0.0.1:3000/api/trpc/boom", { headers }),
      createContext: () => createTRPCContext({ session: null, headers }),
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain(INTERNAL_ERROR_MESSAGE);
    expect(text).not.toMatch(/password_hash|victim@example\.com|Failed query|"stack"/);
  });
});
