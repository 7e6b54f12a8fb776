import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { posts } from "@/server/posts/schema";
import { anonymous, errorCode, eventually, newWriter, startWorkerForFile } from "./helpers";

startWorkerForFile();

// Words unique to this run, so other test files' posts cannot match.
const word = `snippet${Date.now().toString(36)}`;

/** The snippet's markup: only <mark> and </mark>, balanced, around the searched word. */
function markup(snippet: string): string[] {
  return snippet.match(/<[^>]*>/g) ?? [];
}

describe("search snippets", () => {
  it("refuse the highlight markers (U+0002, U+0003) and other controls in what writers save", async () => {
    const { api } = await newWriter("Marker");
    for (const markdown of [`\u0002<script>alert(1)</script>\u0003 ${word}`, `a\u0003b`, `${word}\u0002`, `\u0001\u0004\u001f`]) {
      expect(await errorCode(api.posts.create({ title: "Markers", markdown }))).toBe("BAD_REQUEST");
      expect(await errorCode(api.posts.create({ title: `Markers ${markdown}`, markdown: "x" }))).toBe("BAD_REQUEST");
    }
    const post = await api.posts.create({ title: "Clean", markdown: "clean" });
    expect(await errorCode(api.posts.update({ id: post.id, version: 1, markdown: `x\u0002<img src=x onerror=alert(1)>\u0003` }))).toBe("BAD_REQUEST");
    expect((await api.posts.byId({ id: post.id })).markdown).toBe("clean");
  });

  it("mark only the matches, even when stored text holds the markers", async () => {
    const { api } = await newWriter("Stored");
    const post = await api.posts.create({ title: "Stored markers", markdown: `The ${word} is here.` });
    await api.posts.publish({ id: post.id });
    await eventually(() => api.posts.byId({ id: post.id }), (p) => p.publishedVersion !== null && p.status === "ready");
    // As a row written before the input rules: the markers around markup, unbalanced, and next to the word.
    const stored = `Before \u0002<script>alert(1)</script>\u0003 the ${word} and \u0002<img src=x onerror=alert(1)> \u0003\u0003${word}\u0002 after \u0003 end.`;
    await db.update(posts).set({ publishedText: stored }).where(eq(posts.id, post.id));

    const { items } = await anonymous().posts.search({ q: word });
    const hit = items.find((item) => item.id === post.id);
    expect(hit?.snippet).toBeDefined();
    const tags = markup(hit?.snippet ?? "");
    expect(tags.length).toBeGreaterThan(0);
    expect(tags).toEqual(tags.map((_, i) => (i % 2 === 0 ? "<mark>" : "</mark>")));
    expect(hit?.snippet.match(/<mark>([^<]*)<\/mark>/g)?.every((m) => m === `<mark>${word}</mark>`)).toBe(true);
    expect(hit?.snippet).toContain("&lt;img src=x onerror=alert(1)&gt;"); // text, escaped
    expect(hit?.snippet).not.toMatch(/[\u0002\u0003]/);
  });
});
