import { describe, expect, it } from "vitest";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import { GET as getAuthor } from "@/app/api/v1/authors/[username]/route";
import { GET as getPost } from "@/app/api/v1/posts/[username]/[slug]/route";
import { GET as listPosts } from "@/app/api/v1/posts/route";
import { GET as searchPosts } from "@/app/api/v1/search/route";
import { postPageSchema, postSchema, searchPageSchema } from "@/server/api/rest/v1";
import { eventually, newWriter, startWorkerForFile } from "./helpers";

startWorkerForFile();

const request = (path: string) => new Request(`http://inkwell.test${path}`);
const params = <T,>(value: T) => ({ params: Promise.resolve(value) });

describe("the public REST API (/api/v1)", () => {
  it("serves published posts, one post with its HTML, its author and search, as documented", async () => {
    const { api, profile } = await newWriter("Rest");
    const word = `restful${Date.now().toString(36)}`;
    const post = await api.posts.create({ title: "Over REST", markdown: `Some **${word}** text.` });
    await api.posts.publish({ id: post.id });
    await api.posts.create({ title: "Draft over REST", markdown: word });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion === 1);

    const list = await listPosts(request(`/api/v1/posts?author=${profile.username}`));
    expect(list.status).toBe(200);
    const page = postPageSchema.parse(await list.json());
    expect(page.items.map((p) => p.title)).toEqual(["Over REST"]);

    const one = await getPost(request("/"), params({ username: profile.username, slug: "over-rest" }));
    const body = postSchema.parse(await one.json());
    expect(body.html).toContain(`<strong>${word}</strong>`);
    expect(body.url).toMatch(new RegExp(`/@${profile.username}/over-rest$`));

    const author = await getAuthor(request("/"), params({ username: profile.username }));
    expect(await author.json()).toMatchObject({ username: profile.username, displayName: "Rest" });

    const found = searchPageSchema.parse(await (await searchPosts(request(`/api/v1/search?q=${word}`))).json());
    expect(found.items.map((p) => p.title)).toEqual(["Over REST"]);
  });

  it("answers 404 and 400 as JSON errors", async () => {
    const missing = await getPost(request("/"), params({ username: "nobody_here", slug: "x" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "NOT_FOUND", message: "Post not found." } });
    const bad = await listPosts(request("/api/v1/posts?limit=500"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
    expect((await searchPosts(request("/api/v1/search?q="))).status).toBe(400);
  });

  it("publishes an OpenAPI 3.1 document whose references all resolve", async () => {
    const doc = (await (await getOpenApi()).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/authors/{username}", "/posts", "/posts/{username}/{slug}", "/search"]);
    const refs = JSON.stringify(doc.paths).match(/#\/components\/schemas\/\w+/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty(ref.split("/").at(-1) ?? "");
  });
});
