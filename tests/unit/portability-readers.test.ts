import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveRefused } from "@/server/portability/archive-refused";
import { preparePost } from "@/server/portability/prepare-post";
import { readArchive } from "@/server/portability/read-archive";
import { billionLaughs, externalEntity, mediumExport, substackExport, traversalZip, writeFixture, zipBomb } from "../fixtures/portability/archives";

const fixtures = path.join(import.meta.dirname, "../fixtures/portability");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "inkwell-readers-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(file: Promise<string>): Promise<string> {
  const error = await readArchive(await file).then(() => null, (err: unknown) => err);
  expect(error).toBeInstanceOf(ArchiveRefused);
  return (error as Error).message;
}

describe("readArchive: Ghost JSON", () => {
  it("reads posts with html, lexical and mobiledoc bodies, tags in order, and skips pages", async () => {
    const archive = await readArchive(path.join(fixtures, "ghost-5.json"));
    expect(archive.source).toBe("ghost");
    expect(archive.skipped).toBe(1);
    expect(archive.posts.map((p) => p.status)).toEqual(["published", "draft", "published"]);
    const [first, lexical, untitled] = archive.posts.map((p) => preparePost(p));
    if (!first?.ok || !lexical?.ok || !untitled?.ok) throw new Error("every fixture post converts");
    expect(first.fields.tags).toEqual(["data-science", "writing"]);
    expect(first.fields.publishedAt?.toISOString()).toBe("2021-03-04T05:06:07.000Z");
    expect(first.fields.markdown).toContain("| Name | Score |");
    expect(first.fields.markdown).toContain("```python");
    expect(first.fields.markdown).toContain("  - nested");
    expect(first.fields.markdown).not.toMatch(/script|onerror|alert/);
    expect(first.droppedEmbeds).toBe(1);
    expect(first.fields.markdown).toContain("Embedded content was left out on import: <https://www.youtube.com/embed/dQw4w9WgXcQ>");
    expect(lexical.fields.markdown).toContain("## Section");
    expect(lexical.fields.markdown).toContain("```js\nlet x = 1 < 2;\n```");
    expect(lexical.fields.title).toBe("Lexical only — émoji 🎉");
    expect(untitled.fields.title).toBe("Untitled");
    expect(untitled.fields.markdown).toBe("A post with **no title**, written in Markdown.");
  });

  it("refuses JSON that is malformed or not a Ghost export, with a sentence", async () => {
    expect(await refusal(writeFixture(dir, "broken.json", '{"db": [ {"data": '))).toBe("The file is not valid JSON, so it cannot be a Ghost export.");
    expect(await refusal(writeFixture(dir, "other.json", '{"hello": 1}'))).toMatch(/not a Ghost export/);
  });
});

describe("readArchive: WordPress WXR", () => {
  it("reads posts (not pages or attachments) with entities, CDATA, categories, featured image and percent-encoded slugs", async () => {
    const archive = await readArchive(path.join(fixtures, "wordpress.xml"));
    expect(archive.source).toBe("wordpress");
    expect(archive.skipped).toBe(2);
    const [cafe, draft] = archive.posts;
    expect(cafe?.title).toBe("Café notes & tips");
    expect(cafe?.slug).toBe("café-notes");
    expect(cafe?.tags).toEqual(["Travel", "Coffee"]);
    expect(cafe?.coverImageUrl).toBe("https://blog.example.com/wp-content/uploads/cover.jpg");
    expect(cafe?.publishedAt?.toISOString()).toBe("2020-05-01T10:00:00.000Z");
    const prepared = cafe ? preparePost(cafe) : null;
    if (!prepared?.ok) throw new Error("converts");
    expect(prepared.fields.preferredSlug).toBe("cafe-notes");
    expect(prepared.fields.markdown).toContain('```bash\necho "hello" && ls\n```');
    expect(prepared.fields.markdown).not.toContain("onclick");
    expect(draft?.status).toBe("draft");
    const draftPrepared = draft ? preparePost(draft) : null;
    if (!draftPrepared?.ok) throw new Error("converts");
    expect(draftPrepared.fields.markdown).toBe("A paragraph without tags.\n\nAnother one, with a line\\\nbreak inside.");
  });

  it("refuses entity declarations (billion laughs, external entities) and malformed XML", async () => {
    expect(await refusal(writeFixture(dir, "lol.xml", billionLaughs))).toMatch(/declares XML entities/);
    expect(await refusal(writeFixture(dir, "xxe.xml", externalEntity))).toMatch(/declares XML entities/);
    expect(await refusal(writeFixture(dir, "cut.xml", (await readFile(path.join(fixtures, "wordpress.xml"), "utf8")).slice(0, 900)))).toMatch(/not well-formed/);
  });
});

describe("readArchive: Medium and Substack zips", () => {
  it("reads Medium's posts/*.html, drafts by their draft_ name, the canonical link and date", async () => {
    const archive = await readArchive(await writeFixture(dir, "medium.zip", await mediumExport()));
    expect(archive.source).toBe("medium");
    expect(archive.posts.map((p) => [p.title, p.status])).toEqual([["Hello, Medium", "published"], ["Half finished", "draft"]]);
    const [hello] = archive.posts;
    expect(hello?.canonicalUrl).toBe("https://medium.com/@writer/hello-medium-0123456789ab");
    expect(hello?.publishedAt?.toISOString()).toBe("2020-01-02T03:04:05.678Z");
    const prepared = hello ? preparePost(hello) : null;
    if (!prepared?.ok) throw new Error("converts");
    expect(prepared.droppedEmbeds).toBe(2);
    expect(prepared.fields.markdown).toContain("```\nconst answer = 42;\n```");
    expect(prepared.fields.markdown.match(/Hello, Medium/g)).toBeNull(); // the repeated title is gone
  });

  it("reads Substack's posts.csv and bodies, skipping threads and keeping paid posts as drafts", async () => {
    const archive = await readArchive(await writeFixture(dir, "substack.zip", await substackExport()));
    expect(archive.source).toBe("substack");
    expect(archive.posts.map((p) => [p.key, p.title, p.status])).toEqual([
      ["substack:101", "First issue, with a comma", "published"],
      ["substack:102", "Paid issue", "draft"],
      ["substack:104", "Draft issue", "draft"],
    ]);
    expect(archive.skipped).toBe(1);
    const prepared = archive.posts[0] ? preparePost(archive.posts[0]) : null;
    if (!prepared?.ok) throw new Error("converts");
    expect(prepared.fields.markdown).toContain("![A chart](https://substackcdn.com/image.png)");
    expect(prepared.fields.markdown).not.toContain("steal");
  });

  it("refuses a zip bomb, path traversal, a malformed CSV and a damaged zip", async () => {
    expect(await refusal(writeFixture(dir, "bomb.zip", await zipBomb()))).toMatch(/zip bomb/);
    expect(await refusal(writeFixture(dir, "traversal.zip", await traversalZip()))).toMatch(/unsafe path/);
    expect(await refusal(writeFixture(dir, "bad-csv.zip", await substackExport('post_id,title\n"101.x,unterminated\n')))).toMatch(/posts\.csv .* malformed/);
    expect(await refusal(writeFixture(dir, "damaged.zip", (await mediumExport()).subarray(0, 300)))).toMatch(/zip/);
    expect(await refusal(writeFixture(dir, "text.txt", "just some text"))).toMatch(/cannot read this file/);
  });
});
