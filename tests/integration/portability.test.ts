import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { parse as parseYaml } from "yaml";
import { db } from "@/server/db";
import { openExportDownload } from "@/server/portability/export-service";
import { analyseImport, createImport, declaredSizeRefusal, runImport } from "@/server/portability/import-service";
import { dataExports, importedPosts, imports } from "@/server/portability/schema";
import { archiveStorage, importKeyFor } from "@/server/portability/storage";
import { posts } from "@/server/posts/schema";
import { sessions } from "@/server/users/schema";
import { GET as goneRoute } from "@/app/api/gone/[username]/route";
import { createPortabilityWorker, type PortabilityWorker } from "@/worker/portability-worker";
import { billionLaughs, mediumExport, substackExport, traversalZip, writeFixture, zipBomb } from "../fixtures/portability/archives";
import { PASSWORD, anonymous, errorCode, eventually, newWriter, nthMail, startWorkerForFile, tokenOf } from "./helpers";

// Import, export and account deletion through the real path: upload stored, the portability worker's
// dry run and import, the post worker rendering every imported post, the export zip and its mail.

const fixtures = path.join(import.meta.dirname, "../fixtures/portability");
startWorkerForFile();
let portability: PortabilityWorker;
let dir: string;
beforeAll(async () => {
  portability = createPortabilityWorker();
  await portability.worker.waitUntilReady();
  dir = await mkdtemp(path.join(tmpdir(), "inkwell-portability-"));
});
afterAll(async () => {
  await portability.close();
  await rm(dir, { recursive: true, force: true });
});

type Writer = Awaited<ReturnType<typeof newWriter>>;
const upload = (writer: Writer, file: string) => createImport(writer.profile.id, path.basename(file), Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
const postsOf = (writer: Writer) => db.select().from(posts).where(eq(posts.authorId, writer.profile.id));

async function importFile(writer: Writer, file: string) {
  const created = await upload(writer, file);
  const analysed = await eventually(() => writer.api.portability.importStatus({ id: created.id }), (i) => i.state !== "analysing");
  expect(analysed.state).toBe("analysed");
  await writer.api.portability.startImport({ id: created.id });
  const done = await eventually(() => writer.api.portability.importStatus({ id: created.id }), (i) => i.state === "done");
  const rows = await eventually(() => postsOf(writer), (rows) => rows.every((p) => p.status === "ready" && (p.visibility !== "published" || p.publishedHtml !== null)));
  return { analysed, done, rows };
}

describe("import", () => {
  it("shows a dry-run summary, then imports Ghost posts through the worker with their slugs, dates, tags and state", async () => {
    const writer = await newWriter("Ghosted");
    const { analysed, done, rows } = await importFile(writer, path.join(fixtures, "ghost-5.json"));
    expect(analysed.summary).toMatchObject({ posts: 3, drafts: 1, published: 2, skipped: 1, postsWithDroppedEmbeds: 2, alreadyImported: 0 });
    expect(done).toMatchObject({ processed: 3, imported: 3, source: "ghost" });
    const bySlug = new Map(rows.map((p) => [p.slug, p]));
    const tables = bySlug.get("tables-code-footnotes");
    expect(tables?.publishedAt?.toISOString()).toBe("2021-03-04T05:06:07.000Z");
    expect(tables?.tags).toEqual(["data-science", "writing"]);
    expect(tables?.canonicalUrl).toBe("https://old.example.com/tables");
    expect(tables?.excerptOverride).toBe("A post with everything awkward.");
    expect(tables?.publishedHtml).toContain("<table>");
    expect(tables?.publishedHtml).toMatch(/<code class="[^"]*language-python/);
    expect(tables?.publishedHtml).not.toMatch(/<script|onerror|<iframe/);
    expect(bySlug.get("lexical-only")?.visibility).toBe("draft");
    expect(bySlug.get("untitled")?.title).toBe("Untitled");
    // Readers find it at its old address.
    const page = await anonymous().posts.bySlug({ username: writer.profile.username, slug: "tables-code-footnotes" });
    expect(page.title).toBe("Tables, code and footnotes");
  });

  it("creates no duplicates when the same archive is imported again", async () => {
    const writer = await newWriter("Twice");
    const file = path.join(fixtures, "wordpress.xml");
    await importFile(writer, file);
    const again = await upload(writer, file);
    const analysed = await eventually(() => writer.api.portability.importStatus({ id: again.id }), (i) => i.state !== "analysing");
    expect(analysed.summary).toMatchObject({ posts: 2, alreadyImported: 2 });
    await writer.api.portability.startImport({ id: again.id });
    const done = await eventually(() => writer.api.portability.importStatus({ id: again.id }), (i) => i.state === "done");
    expect(done).toMatchObject({ processed: 2, imported: 0 });
    expect((await postsOf(writer)).map((p) => p.slug).sort()).toEqual(["cafe-notes", "classic-editor-draft"]);
  });

  it("resumes an import a crash interrupted, without duplicating what was done", async () => {
    const writer = await newWriter("Crashy");
    const file = await writeFixture(dir, "substack.zip", await substackExport());
    const created = await upload(writer, file);
    await eventually(() => writer.api.portability.importStatus({ id: created.id }), (i) => i.state === "analysed");
    // The worker dies after a first batch of two posts (as a SIGKILL would leave it: the job stalls, then runs again).
    await db.update(imports).set({ state: "importing" }).where(eq(imports.id, created.id));
    await expect(runImport(created.id, { batchSize: 2, afterBatch: (n) => { if (n === 2) throw new Error("worker crashed"); } })).rejects.toThrow("worker crashed");
    expect(await postsOf(writer)).toHaveLength(2);
    expect(await runImport(created.id, { batchSize: 2 })).toBe("done");
    expect(await writer.api.portability.importStatus({ id: created.id })).toMatchObject({ state: "done", processed: 3, imported: 3 });
    const rows = await postsOf(writer);
    expect(rows.map((p) => p.title).sort()).toEqual(["Draft issue", "First issue, with a comma", "Paid issue"]);
    expect(await db.select().from(importedPosts).where(eq(importedPosts.userId, writer.profile.id))).toHaveLength(3);
  });

  it("refuses hostile archives with a clear message and imports nothing", async () => {
    const writer = await newWriter("Hostile");
    const cases: [string, Buffer | string, RegExp][] = [
      ["bomb.zip", await zipBomb(), /zip bomb/],
      ["traversal.zip", await traversalZip(), /unsafe path/],
      ["lol.xml", billionLaughs, /declares XML entities/],
      ["broken.json", '{"db": [', /not valid JSON/],
      ["bad.zip", await substackExport("post_id,title\n\"1.x,oops\n"), /malformed/],
    ];
    for (const [name, content, message] of cases) {
      const created = await upload(writer, await writeFixture(dir, name, content));
      const refused = await eventually(() => writer.api.portability.importStatus({ id: created.id }), (i) => i.state !== "analysing");
      expect(refused.state, name).toBe("failed");
      expect(refused.error, name).toMatch(message);
      expect(await archiveStorage.size(importKeyFor(created.id)), name).toBeNull();
      expect(await errorCode(writer.api.portability.startImport({ id: created.id }))).toBe("BAD_REQUEST");
    }
    expect(await postsOf(writer)).toHaveLength(0);
  });

  it("refuses an upload larger than the limit from its declared size, and cuts off one that lied", async () => {
    expect(declaredSizeRefusal(String(200 * 1024 ** 2))).toMatch(/larger than 100 MB/);
    expect(declaredSizeRefusal("1000")).toBeNull();
    const writer = await newWriter("Liar");
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024 ** 2));
      },
    });
    await expect(createImport(writer.profile.id, "endless.zip", endless)).rejects.toThrow(/larger than/);
    expect(await db.select().from(imports).where(eq(imports.userId, writer.profile.id))).toHaveLength(0);
  });

  it("imports a Medium export with its draft (analysed directly, as the worker would)", async () => {
    const writer = await newWriter("Medium");
    const created = await upload(writer, await writeFixture(dir, "medium.zip", await mediumExport()));
    await analyseImport(created.id);
    const status = await writer.api.portability.importStatus({ id: created.id });
    expect(status.summary).toMatchObject({ posts: 2, drafts: 1, published: 1, postsWithDroppedEmbeds: 1 });
  });
});

async function unzip(file: Buffer): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(file, { lazyEntries: true });
  const files = new Map<string, string>();
  for await (const entry of zip.eachEntry()) files.set(entry.fileName, (await buffer(await zip.openReadStreamPromise(entry))).toString("utf8"));
  return files;
}

describe("export", () => {
  it("mails a link to a zip of Markdown with front matter, the profile and Ghost JSON; importing that JSON elsewhere renders the same posts", async () => {
    const writer = await newWriter("Leaver");
    await importFile(writer, path.join(fixtures, "ghost-5.json"));
    const { rows } = await importFile(writer, path.join(fixtures, "wordpress.xml"));
    const requested = await writer.api.portability.requestExport();
    const ready = await eventually(() => writer.api.portability.exports(), (list) => list[0]?.state === "ready");
    expect(ready[0]?.posts).toBe(5);
    const token = tokenOf(await nthMail(writer.profile.email, 1, "export-ready"));
    expect(await openExportDownload(writer.profile.id, requested.id, "forged")).toBeNull();
    const other = await newWriter("Stranger");
    expect(await openExportDownload(other.profile.id, requested.id, token)).toBeNull();
    const download = await openExportDownload(writer.profile.id, requested.id, token);
    if (!download) throw new Error("the owner's link works");
    const files = await unzip(await buffer(download.stream));
    expect([...files.keys()].sort()).toEqual([
      "ghost.json",
      "posts/cafe-notes.md",
      "posts/classic-editor-draft.md",
      "posts/lexical-only.md",
      "posts/tables-code-footnotes.md",
      "posts/untitled.md",
      "profile.json",
      "profile.md",
    ]);
    const markdown = files.get("posts/tables-code-footnotes.md") ?? "";
    const [, yaml] = /^---\n([\s\S]*?)\n---\n/.exec(markdown) ?? [];
    expect(parseYaml(yaml ?? "")).toMatchObject({ title: "Tables, code and footnotes", slug: "tables-code-footnotes", status: "published", date: "2021-03-04T05:06:07.000Z", tags: ["data-science", "writing"], canonical_url: "https://old.example.com/tables" });
    expect(JSON.parse(files.get("profile.json") ?? "{}")).toMatchObject({ username: writer.profile.username, posts: 5 });

    // Round trip: the Ghost JSON into a fresh account renders every post (Ghost's and WordPress's) to the same HTML.
    const fresh = await newWriter("Arrival");
    const ghostFile = await writeFixture(dir, "roundtrip.json", files.get("ghost.json") ?? "");
    const { rows: copies } = await importFile(fresh, ghostFile);
    const htmlBySlug = (list: typeof rows) => Object.fromEntries(list.map((p) => [p.slug, { html: p.html, published: p.publishedHtml, title: p.title, tags: p.tags, date: p.publishedAt?.toISOString() }]));
    expect(copies).toHaveLength(5);
    expect(copies.filter((p) => !p.html)).toEqual([]);
    expect(htmlBySlug(copies)).toEqual(htmlBySlug(rows));
  });

  it("keeps export files out of reach of a link past its expiry", async () => {
    const writer = await newWriter("Late");
    const requested = await writer.api.portability.requestExport();
    await eventually(() => writer.api.portability.exports(), (list) => list[0]?.state === "ready");
    const token = tokenOf(await nthMail(writer.profile.email, 1, "export-ready"));
    await db.update(dataExports).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(dataExports.id, requested.id));
    expect(await openExportDownload(writer.profile.id, requested.id, token)).toBeNull();
  });
});

describe("account deletion", () => {
  it("asks for the password and the typed username, then removes posts, sessions and imports, and holds the username", async () => {
    const writer = await newWriter("Goner");
    await importFile(writer, path.join(fixtures, "wordpress.xml"));
    expect(await errorCode(writer.api.portability.deleteAccount({ password: "wrong password", confirmation: writer.profile.username }))).toBe("BAD_REQUEST");
    expect(await errorCode(writer.api.portability.deleteAccount({ password: PASSWORD, confirmation: "someone-else" }))).toBe("BAD_REQUEST");
    expect(await postsOf(writer)).toHaveLength(2);

    await writer.api.portability.deleteAccount({ password: PASSWORD, confirmation: `@${writer.profile.username.toUpperCase()}` });
    expect(await postsOf(writer)).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, writer.profile.id))).toHaveLength(0);
    expect(await db.select().from(imports).where(eq(imports.userId, writer.profile.id))).toHaveLength(0);
    expect(await db.select().from(importedPosts).where(eq(importedPosts.userId, writer.profile.id))).toHaveLength(0);
    expect(await errorCode(anonymous().posts.bySlug({ username: writer.profile.username, slug: "cafe-notes" }))).toBe("NOT_FOUND");
    const gone = await goneRoute(new Request("http://127.0.0.1/"), { params: Promise.resolve({ username: writer.profile.username }) });
    expect(gone.status).toBe(410);
    expect((await goneRoute(new Request("http://127.0.0.1/"), { params: Promise.resolve({ username: "never_existed" }) })).status).toBe(404);
    expect(await errorCode(anonymous().users.register({ email: `new-${Date.now()}@example.com`, username: writer.profile.username, displayName: "Squatter", password: PASSWORD }))).toBe("CONFLICT");
  });
});
