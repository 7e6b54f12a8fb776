import { expect, test, type Page } from "@playwright/test";
import { callTrpc, newWriter, publishAndWait, publishPost, signUpElsewhere, waitUntilPublic, type Writer } from "./helpers";

// Published pages come from the data cache (server/cache): readers who loaded them once are served the
// stored copy. When the worker publishes, updates or unpublishes a post, every web process drops what
// changed, so an anonymous reader sees the change on the next request (polled here, never slept).

const run = Date.now().toString(36);
const tag = `cached-${run}`;

let writer: Writer;
let writerPage: Page;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  writer = newWriter("cache");
  writerPage = await (await browser.newContext()).newPage();
  await signUpElsewhere(writerPage, writer);
});

test.afterAll(async () => {
  await writerPage.context().close();
});

/** Reloads until `check` passes: the first reload after the event should already show the change. */
async function eventually(reader: Page, path: string, check: () => Promise<void>) {
  await expect(async () => {
    await reader.goto(path);
    await check();
  }).toPass({ timeout: 15_000, intervals: [100, 250, 500, 1_000] });
}

test("readers see a publish, an update and an unpublish at once on every cached page", async ({ page: reader }) => {
  test.setTimeout(120_000);
  const title = `Cached at dawn ${run}`;
  const post = await publishPost(writerPage, writer, { title, markdown: "First light over the harbour.", tags: [tag] });
  const authorPath = `/@${writer.username}`;
  const tagPath = `/tags/${tag}`;

  await test.step("an anonymous reader loads each page (filling the cache)", async () => {
    for (const path of ["/", authorPath, post.path, tagPath]) {
      await reader.goto(path);
      await expect(reader.getByRole("link", { name: title }).or(reader.getByRole("heading", { level: 1, name: title })).first()).toBeVisible();
    }
    await reader.goto(post.path);
    await expect(reader.getByText("First light over the harbour.")).toBeVisible();
  });

  const updated = `Revised at noon ${run}`;
  await test.step("the writer revises the post: the post page, lists and feeds show the new version", async () => {
    const current = await callTrpc<{ version: number }>(writerPage, "posts.byId", { id: post.id }, "query");
    await callTrpc(writerPage, "posts.update", { id: post.id, version: current.version, title: updated, markdown: "Noon light, and the tide coming in." }, "mutation");
    await callTrpc(writerPage, "posts.publish", { id: post.id }, "mutation"); // Update: the edit goes live
    await waitUntilPublic(writerPage, post.id);
    await eventually(reader, post.path, async () => {
      await expect(reader.getByRole("heading", { level: 1 })).toHaveText(updated);
      await expect(reader.getByText("Noon light, and the tide coming in.")).toBeVisible();
    });
    for (const path of ["/", authorPath, tagPath]) {
      await eventually(reader, path, async () => {
        await expect(reader.getByRole("link", { name: updated })).toBeVisible();
        await expect(reader.getByRole("link", { name: title })).toHaveCount(0);
      });
    }
    await expect(async () => expect(await (await reader.request.get(`${authorPath}/feed.xml`)).text()).toContain(updated)).toPass({ timeout: 15_000 });
  });

  let second: Awaited<ReturnType<typeof publishPost>> | undefined;
  await test.step("the writer publishes another post: it appears on the cached home and author pages", async () => {
    second = await publishPost(writerPage, writer, { title: `Evening tide ${run}`, markdown: "Dusk.", tags: [tag] });
    for (const path of ["/", authorPath, tagPath]) {
      await eventually(reader, path, async () => {
        await expect(reader.getByRole("link", { name: `Evening tide ${run}` })).toBeVisible();
      });
    }
    // The older post's page now links to the newer one.
    await eventually(reader, post.path, async () => {
      await expect(reader.getByRole("link", { name: /Evening tide/ })).toHaveAttribute("href", second!.path);
    });
  });

  await test.step("the writer unpublishes the first post: it is gone everywhere", async () => {
    await callTrpc(writerPage, "posts.unpublish", { id: post.id }, "mutation");
    await eventually(reader, post.path, async () => {
      await expect(reader.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    });
    expect((await reader.goto(post.path))?.status()).toBe(404);
    for (const path of ["/", authorPath, tagPath]) {
      await eventually(reader, path, async () => {
        await expect(reader.getByRole("link", { name: updated })).toHaveCount(0);
        await expect(reader.getByRole("link", { name: `Evening tide ${run}` })).toBeVisible();
      });
    }
    await expect(async () => expect(await (await reader.request.get("/sitemap.xml")).text()).not.toContain(post.path)).toPass({ timeout: 15_000 });
  });

  await test.step("the writer deletes the other post: it is gone everywhere too", async () => {
    const deleted = second!;
    await callTrpc(writerPage, "posts.delete", { id: deleted.id }, "mutation");
    await eventually(reader, deleted.path, async () => {
      await expect(reader.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    });
    for (const path of ["/", authorPath]) {
      await eventually(reader, path, async () => {
        await expect(reader.getByRole("link", { name: `Evening tide ${run}` })).toHaveCount(0);
      });
    }
  });

  await test.step("and it comes back when it is published again", async () => {
    await publishAndWait(writerPage, { id: post.id, slug: post.slug, version: post.version });
    await eventually(reader, post.path, async () => {
      await expect(reader.getByRole("heading", { level: 1 })).toHaveText(updated);
    });
  });
});

test("an update of a live post refreshes the pages that name it and leaves the writer's other posts stored", async ({ page: reader }) => {
  test.setTimeout(120_000);
  // Four posts in order; the third is revised. The second and the fourth link to it by title (next and
  // previous), so they must show the new title; the first names it nowhere and stays as stored.
  const posts = [];
  for (const n of [1, 2, 3, 4]) posts.push(await publishPost(writerPage, writer, { title: `Neighbour ${n} ${run}`, markdown: `Post ${n}.` }));
  const [first, second, third, fourth] = posts as [(typeof posts)[0], (typeof posts)[0], (typeof posts)[0], (typeof posts)[0]];
  const cacheState = (response: { headers(): Record<string, string> }) => response.headers()[process.env.E2E_GATEWAY === "1" ? "x-cache-status" : "x-inkwell-origin-cache"];
  // Each publish purges the writer's pages three times (server/cache/purge.ts): once its status event
  // is out, and again 500 ms and 2 s after that attempt, which may take up to its 2 s timeout. Let the
  // last publish's purges pass, then store every page.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  for (const post of posts) await reader.request.get(post.path);
  const storedFirst = await reader.request.get(first.path);
  expect(cacheState(storedFirst)).toBe("HIT");

  const revised = `Neighbour 3, revised ${run}`;
  const current = await callTrpc<{ version: number }>(writerPage, "posts.byId", { id: third.id }, "query");
  await callTrpc(writerPage, "posts.update", { id: third.id, version: current.version, title: revised }, "mutation");
  await callTrpc(writerPage, "posts.publish", { id: third.id }, "mutation");
  await waitUntilPublic(writerPage, third.id);
  await eventually(reader, third.path, async () => {
    await expect(reader.getByRole("heading", { level: 1 })).toHaveText(revised);
  });
  await eventually(reader, second.path, async () => {
    await expect(reader.getByRole("link", { name: new RegExp(revised) })).toHaveAttribute("href", third.path);
  });
  await eventually(reader, fourth.path, async () => {
    await expect(reader.getByRole("link", { name: new RegExp(revised) })).toHaveAttribute("href", third.path);
  });
  const firstAfter = await reader.request.get(first.path);
  expect(cacheState(firstAfter), "the first post's page was not purged").toBe("HIT");
  expect(firstAfter.headers().etag).toBe(storedFirst.headers().etag);
});
