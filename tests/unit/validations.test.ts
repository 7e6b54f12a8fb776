import { describe, expect, it } from "vitest";
import { POST_MARKDOWN_MAX, postCreateSchema, postUpdateSchema } from "@/lib/validations/post";
import { userProfileUpdateSchema, userRegisterSchema } from "@/lib/validations/user";

const valid = { email: " Ann@Example.COM ", username: "Ann_Writes", displayName: " Ann ", password: "long enough" };

describe("userRegisterSchema", () => {
  it("normalises email and username to lower case and trims names", () => {
    expect(userRegisterSchema.parse(valid)).toEqual({
      email: "ann@example.com",
      username: "ann_writes",
      displayName: "Ann",
      password: "long enough",
    });
  });

  it.each([
    ["email", "not-an-email", "Enter a valid email address."],
    ["username", "ab", "Username must be at least 3 characters."],
    ["username", "has space", "Use only letters, digits and underscores."],
    ["displayName", "   ", "Display name is required."],
    ["password", "short", "Password must be at least 8 characters."],
    ["password", "x".repeat(129), "Password must be at most 128 characters."],
  ])("refuses a bad %s with a clear message", (field, value, message) => {
    const result = userRegisterSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toContainEqual([field, message]);
  });
});

describe("userProfileUpdateSchema", () => {
  it("needs at least one field", () => {
    expect(userProfileUpdateSchema.safeParse({}).success).toBe(false);
    expect(userProfileUpdateSchema.parse({ bio: " hi " })).toEqual({ bio: "hi" });
  });
});

describe("post schemas", () => {
  it("requires a title and bounds the body", () => {
    expect(postCreateSchema.safeParse({ title: " ", markdown: "" }).error?.issues[0]?.message).toBe("Give the post a title.");
    expect(postCreateSchema.safeParse({ title: "t", markdown: "x".repeat(POST_MARKDOWN_MAX + 1) }).success).toBe(false);
    expect(postCreateSchema.safeParse({ title: "t", markdown: "x".repeat(POST_MARKDOWN_MAX) }).success).toBe(true);
  });

  it("requires the version an update is based on", () => {
    const id = "6f299cf1-0b3d-448b-9968-60fc7aca024c";
    expect(postUpdateSchema.safeParse({ id, title: "t" }).success).toBe(false);
    expect(postUpdateSchema.safeParse({ id, version: 0, title: "t" }).success).toBe(false);
    expect(postUpdateSchema.parse({ id, version: 3, title: " t " })).toEqual({ id, version: 3, title: "t" });
  });
});

describe("characters no output can carry", () => {
  const id = "6f299cf1-0b3d-448b-9968-60fc7aca024c";
  // Every C0 control except tab, line feed and carriage return; lone surrogates; U+FFFE and U+FFFF.
  const unsafe = [
    ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).filter((c) => !"\t\n\r".includes(c)),
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
  ];
  const inputs: [string, (text: string) => { success: boolean; error?: { issues: { message: string }[] } }][] = [
    ["title", (text) => postCreateSchema.safeParse({ title: `A ${text} title`, markdown: "" })],
    ["post", (text) => postCreateSchema.safeParse({ title: "t", markdown: `Body ${text} text` })],
    ["excerpt", (text) => postUpdateSchema.safeParse({ id, version: 1, excerpt: `Ex ${text}` })],
    ["display name", (text) => userRegisterSchema.safeParse({ ...valid, displayName: `Ann ${text}` })],
    ["bio", (text) => userProfileUpdateSchema.safeParse({ bio: `Bio ${text}` })],
  ];

  it.each(inputs)("are refused in a %s, with the character and its position named", (_field, parse) => {
    for (const character of unsafe) {
      const result = parse(character);
      expect(result.success, JSON.stringify(character)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/contains an invalid character \((NUL|U\+[0-9A-F]{4})\) at position \d+; remove it and try again\.$/);
    }
  });

  it("names the search-highlight markers the probe used", () => {
    const result = postCreateSchema.safeParse({ title: "t", markdown: "safe \u0002<script>\u0003" });
    expect(result.error?.issues[0]?.message).toBe("The post contains an invalid character (U+0002) at position 6; remove it and try again.");
  });

  it("still accept tabs, line breaks, emoji (surrogate pairs) and every other script", () => {
    const text = "Tab\there\r\nline 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 日本語 עברית \u00a0\u0085\u200b";
    expect(postCreateSchema.safeParse({ title: "t", markdown: text }).success).toBe(true);
    expect(userProfileUpdateSchema.safeParse({ bio: text }).success).toBe(true);
  });
});
