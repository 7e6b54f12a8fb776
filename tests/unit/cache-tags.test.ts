import { describe, expect, it } from "vitest";
import { keysForPostChange, keysForProfileChange, type PostChange } from "@/server/cache/tags";

const POST_ID = "00000000-0000-4000-8000-000000000001";
const change = (readers?: PostChange["readers"]): PostChange => ({ postId: POST_ID, authorId: "00000000-0000-4000-8000-000000000002", ...(readers && { readers }) });

describe("keysForPostChange: what a post change purges", () => {
  it("nothing when nothing public changed (a save or a rendering of a draft or of a live post's working copy)", () => {
    expect(keysForPostChange(change(), "alice")).toEqual([]);
  });

  it("an update of a live post in place: its pages (its neighbours' among them), the writer's lists and the lists, not the writer's other posts", () => {
    expect(keysForPostChange(change("updated"), "Alice")).toEqual([`post:${POST_ID}`, "author-list:alice", "lists"]);
  });

  it("a post added or removed: every page of the writer, since its neighbours' links move", () => {
    for (const readers of ["added", "removed"] as const) {
      expect(keysForPostChange(change(readers), "Alice")).toEqual([`post:${POST_ID}`, "author:alice", "lists"]);
    }
  });

  it("no writer key for a writer without public pages", () => {
    expect(keysForPostChange(change("added"), null)).toEqual([`post:${POST_ID}`, "lists"]);
  });

  it("a profile change: every page of the writer and the lists", () => {
    expect(keysForProfileChange("Alice")).toEqual(["author:alice", "lists"]);
  });
});
