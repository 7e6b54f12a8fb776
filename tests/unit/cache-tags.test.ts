import { describe, expect, it } from "vitest";
import { classifyChange, type PostChange } from "@/server/cache/tags";

const change = (fields: Partial<PostChange>): PostChange => ({
  postId: "00000000-0000-4000-8000-000000000001",
  authorId: "00000000-0000-4000-8000-000000000002",
  status: "queued",
  visibility: "draft",
  ...fields,
});

describe("classifyChange: what a post status event changes for readers", () => {
  it("nothing while a version is rendering", () => {
    expect(classifyChange(change({ status: "processing", visibility: "published" }))).toBe("none");
  });

  it("the lists and the writer's pages when a published post is saved or its new version is ready", () => {
    expect(classifyChange(change({ status: "queued", visibility: "published" }))).toBe("published");
    expect(classifyChange(change({ status: "ready", visibility: "published" }))).toBe("published");
  });

  it("nothing when a draft or a scheduled post is saved, rendered or fails", () => {
    for (const status of ["queued", "ready", "failed"] as const) {
      expect(classifyChange(change({ status, visibility: "draft" }))).toBe("none");
      expect(classifyChange(change({ status, visibility: "scheduled" }))).toBe("none");
    }
  });

  it("the pages that showed a post that was unpublished or deleted", () => {
    expect(classifyChange(change({ status: "ready", visibility: "draft", unpublished: true }))).toBe("hidden");
  });
});
