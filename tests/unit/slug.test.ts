import { describe, expect, it } from "vitest";
import { SLUG_MAX, firstFreeSlug, isGeneratedSlug, slugForTitle } from "@/server/posts/slug";

describe("slugForTitle", () => {
  it("lower-cases and hyphenates words", () => {
    expect(slugForTitle("Hello, World: A Story")).toBe("hello-world-a-story");
  });

  it("transliterates accents and drops punctuation", () => {
    expect(slugForTitle("Crème brûlée & déjà vu!")).toBe("creme-brulee-and-deja-vu");
  });

  it("never returns an empty slug", () => {
    expect(slugForTitle("!!!")).toBe("post");
  });

  it("caps the length without a trailing hyphen", () => {
    const slug = slugForTitle("word ".repeat(50));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX);
    expect(slug.endsWith("-")).toBe(false);
  });
});

describe("firstFreeSlug", () => {
  it("keeps the base when it is free", () => {
    expect(firstFreeSlug("hello", new Set(["other"]))).toBe("hello");
  });

  it("appends the first free number", () => {
    expect(firstFreeSlug("hello", new Set(["hello", "hello-2"]))).toBe("hello-3");
  });
});

describe("isGeneratedSlug", () => {
  it("recognises slugs made from the title, with or without a number", () => {
    expect(isGeneratedSlug("hello-world", "Hello World")).toBe(true);
    expect(isGeneratedSlug("hello-world-3", "Hello World")).toBe(true);
  });

  it("rejects slugs the writer chose", () => {
    expect(isGeneratedSlug("my-own-slug", "Hello World")).toBe(false);
    expect(isGeneratedSlug("hello", "Hello World")).toBe(false);
    expect(isGeneratedSlug("hello-2", "Hello World")).toBe(false);
  });
});
