import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { count, countDistinct, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { parse as parseYaml } from "yaml";
import { db } from "@/server/db";
import { buildExport } from "@/server/portability/export-service";
import { analyseImport, createImport, runImport } from "@/server/portability/import-service";
import { importedPosts } from "@/server/portability/schema";
import { archiveStorage, exportKeyFor } from "@/server/portability/storage";
import { posts } from "@/server/posts/schema";
import { generateWordPressExport } from "../fixtures/portability/generate-wordpress";
import { POSTS_QUEUE, processPostJobId } from "@/server/jobs/contract";
import { queue } from "@/server/jobs/queues";
import { PASSWORD, closeConnections, newWriter } from "./helpers";

// The large archive of the issue: a generated 5,000-post WordPress export, imported and exported the
// way the portability worker runs them (its steps called directly: this file starts no workers, so the
// imported posts wait in the queue for a renderer, which the other portability tests exercise).

const COUNT = 5000;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "inkwell-portability-archive-"));
  file = path.join(dir, "wordpress-5000.xml");
  await writeFile(file, generateWordPressExport(COUNT));
});
type Writer = Awaited<ReturnType<typeof newWriter>>;
let prolific: Writer | undefined;
const author = () => {
  if (!prolific) throw new Error("the first test imports the archive");
  return prolific;
};

afterAll(async () => {
  // The imported posts wait, `queued`, for a renderer; every test file shares this database and queue,
  // and another file's post worker sweeps queued rows (oldest first) into its queue. Their jobs alone
  // are not enough to remove: delete the writer, so 5,000 rows do not stand before that file's posts.
  if (prolific) {
    const { profile, api } = prolific;
    const owned = await db.select({ postId: posts.id, version: posts.version }).from(posts).where(eq(posts.authorId, profile.id));
    await api.portability.deleteAccount({ password: PASSWORD, confirmation: profile.username });
    for (let i = 0; i < owned.length; i += 500) await Promise.all(owned.slice(i, i + 500).map((post) => queue(POSTS_QUEUE).remove(processPostJobId(post))));
  }
  await rm(dir, { recursive: true, force: true });
  await closeConnections();
});

async function importArchive(writer: Writer) {
  const created = await createImport(writer.profile.id, "wordpress-5000.xml", Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
  expect(await analyseImport(created.id)).toBe("analysed");
  const analysed = await writer.api.portability.importStatus({ id: created.id });
  await writer.api.portability.startImport({ id: created.id });
  expect(await runImport(created.id)).toBe("done");
  return { analysed, done: await writer.api.portability.importStatus({ id: created.id }) };
}

describe("a generated 5,000-post WordPress archive", () => {
  it("is counted by the dry run, imported whole with its slugs and dates, and not copied by a second import", { timeout: 600_000 }, async () => {
    prolific = await newWriter("Prolific");
    const writer = author();
    const first = await importArchive(writer);
    expect(first.analysed.summary).toMatchObject({ posts: COUNT, drafts: COUNT / 10, published: COUNT - COUNT / 10, skipped: 0, alreadyImported: 0 });
    expect(first.done).toMatchObject({ state: "done", processed: COUNT, imported: COUNT });

    const [stats] = await db
      .select({ posts: count(), slugs: countDistinct(posts.slug) })
      .from(posts)
      .where(eq(posts.authorId, writer.profile.id));
    expect(stats).toEqual({ posts: COUNT, slugs: COUNT });
    const [sample] = await db.select().from(posts).where(eq(posts.slug, "generated-post-1234"));
    expect(sample).toMatchObject({ authorId: writer.profile.id, title: "Generated post 1234", visibility: "published", tags: ["tag-2"] });
    expect(sample?.publishedAt?.toISOString()).toBe(new Date(Date.UTC(2015, 0, 1) + 1234 * 86_400_000).toISOString());
    expect(sample?.markdown).toContain("```js\nconst post = 1234;");
    const [draft] = await db.select().from(posts).where(eq(posts.slug, `generated-post-${COUNT}`));
    expect(draft).toMatchObject({ authorId: writer.profile.id, visibility: "draft", publishedAt: null });

    const second = await importArchive(writer);
    expect(second.analysed.summary).toMatchObject({ posts: COUNT, alreadyImported: COUNT });
    expect(second.done).toMatchObject({ state: "done", processed: COUNT, imported: 0 });
    const [after] = await db.select({ posts: count() }).from(posts).where(eq(posts.authorId, writer.profile.id));
    expect(after?.posts).toBe(COUNT);
    const [keys] = await db.select({ keys: count() }).from(importedPosts).where(eq(importedPosts.userId, writer.profile.id));
    expect(keys?.keys).toBe(COUNT);
  });

  it("exports every one of them into the zip, as Markdown and in the Ghost JSON", { timeout: 300_000 }, async () => {
    const writer = author();
    const requested = await writer.api.portability.requestExport();
    expect(await buildExport(requested.id)).toBe(`exported ${COUNT}`);
    const zip = await yauzl.fromBufferPromise(await buffer(archiveStorage.reader(exportKeyFor(requested.id))), { lazyEntries: true });
    const markdown = new Set<string>();
    let ghost: { db: [{ data: { posts: { slug: string }[] } }] } | undefined;
    let sample = "";
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.startsWith("posts/")) markdown.add(entry.fileName);
      if (entry.fileName === "posts/generated-post-4321.md") sample = (await buffer(await zip.openReadStreamPromise(entry))).toString("utf8");
      if (entry.fileName === "ghost.json") ghost = JSON.parse((await buffer(await zip.openReadStreamPromise(entry))).toString("utf8")) as typeof ghost;
    }
    expect(markdown.size).toBe(COUNT);
    expect(new Set(ghost?.db[0].data.posts.map((p) => p.slug)).size).toBe(COUNT);
    const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(sample) ?? [];
    expect(parseYaml(frontMatter ?? "")).toMatchObject({ title: "Generated post 4321", slug: "generated-post-4321", status: "published", tags: ["tag-2"] });
    expect(body).toMatch(/^Post number 4321\./);
  });
});
