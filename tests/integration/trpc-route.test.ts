import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/trpc/[trpc]/route";
import { MAX_BODY_BYTES } from "@/server/api/body-limit";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { POST_MARKDOWN_MAX } from "@/lib/validations/post";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";
import { PASSWORD, closeConnections, newWriter, randomIp } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

const url = "http://127.0.0.1:3000/api/trpc/posts.preview";

describe("POST /api/trpc", () => {
  it("refuses a mutation from another site's page with 403", async () => {
    const response = await POST(new NextRequest(url, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: JSON.stringify({ json: { markdown: "x" } }) }));
    expect(response.status).toBe(403);
  });

  it("refuses a body over the limit with 413 before parsing it, declared or streamed", async () => {
    const big = JSON.stringify({ json: { markdown: "x".repeat(MAX_BODY_BYTES) } });
    const declared = await POST(new NextRequest(url, { method: "POST", headers: { "content-type": "application/json", "content-length": String(big.length) }, body: big }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    // Node needs `duplex` for a streamed body; the DOM RequestInit type does not know it yet.
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" };
    const streamed = await POST(new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]));
    expect(streamed.status).toBe(413);
  });

  it("names the refused field in the error data, so a form marks it without matching the message", async () => {
    const { profile } = await newWriter();
    const body = JSON.stringify({ json: { email: `other-${profile.username}@example.com`, username: profile.username, displayName: "Other", password: PASSWORD } });
    const headers = new Headers({ "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: randomIp() });
    // The fetch adapter with an anonymous context: the route's own one reads cookies, which needs Next's request scope.
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req: new Request("http://127.0.0.1:3000/api/trpc/users.register", { method: "POST", headers, body }),
      createContext: () => createTRPCContext({ session: null, headers }),
    });
    expect(response.status).toBe(409);
    const answer = (await response.json()) as { error: { json: { data: { code: string; field: string | null } } } };
    expect(answer.error.json.data).toMatchObject({ code: "CONFLICT", field: "username" });
  });

  it("says what is wrong with the input in one sentence, with the field-by-field detail in the error data", async () => {
    const { api, session } = await newWriter();
    const post = await api.posts.create({ title: "Long", markdown: "Short." });
    const headers = new Headers({ "content-type": "application/json" });
    const body = JSON.stringify({ json: { id: post.id, version: post.version, markdown: "x".repeat(POST_MARKDOWN_MAX + 1) } });
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req: new Request("http://127.0.0.1:3000/api/trpc/posts.update", { method: "POST", headers, body }),
      createContext: () => createTRPCContext({ session, headers }),
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as {
      error: { json: { message: string; data: { code: string; zodError: { fieldErrors: Record<string, string[]> } | null } } };
    };
    expect(answer.error.json.data.code).toBe("BAD_REQUEST");
    // The first problem, as the schema words it for writers; never the raw issue list.
    expect(answer.error.json.message).toBe("The post is too long: at most 100,000 characters.");
    expect(answer.error.json.data.zodError?.fieldErrors).toEqual({ markdown: ["The post is too long: at most 100,000 characters."] });
  });
});
