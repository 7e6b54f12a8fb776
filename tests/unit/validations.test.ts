import { describe, expect, it } from "vitest";
import { POST_MARKDOWN_MAX, postCreateSchema, postSlugSchema, postUpdateSchema } from "@/lib/validations/post";
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

describe("display names", () => {
  it.each([
    ["CRLF and a forged header", "Eve\r\nBcc: all@example.net", "Eve Bcc: all@example.net"],
    ["a lone LF, CR and tab", "a\nb\rc\td", "a b c d"],
    ["NUL and other C0 controls", "a\u0000b\u0007c\u001bd", "a b c d"],
    ["DEL and C1 controls (NEL)", "a\u007fb\u0085c", "a b c"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a b c"],
    ["direction overrides and isolates", "\u202Egnp.exe\u2066x\u2069", "gnp.exe x"],
    ["zero-width spaces, direction marks and the BOM", "a\u200Bb\u200Fc\uFEFF", "a b c"],
    ["runs of spaces", "  Ann   Lee  ", "Ann Lee"],
  ])("become one line of visible text: %s", (_case, input, expected) => {
    expect(userRegisterSchema.parse({ ...valid, displayName: input }).displayName).toBe(expected);
    expect(userProfileUpdateSchema.parse({ displayName: input }).displayName).toBe(expected);
  });

  it("keep letters of every script, and refuse a name of only invisible characters", () => {
    // ZWNJ (Persian) and ZWJ (an emoji family) are part of the text.
    for (const name of ["Zoë 山田 محمد", "می\u200Cخواهم", "👩\u200D👩\u200D👧"]) expect(userProfileUpdateSchema.parse({ displayName: name }).displayName).toBe(name);
    expect(userProfileUpdateSchema.safeParse({ displayName: "\r\n\u200B\u2028" }).error?.issues[0]?.message).toBe("Display name is required.");
    expect(userProfileUpdateSchema.safeParse({ displayName: "x".repeat(81) }).error?.issues[0]?.message).toBe("Display name must be at most 80 characters.");
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
    ["bio", (text) => userProfileUpdateSchema.safeParse({ bio: `Bio ${text}` })],
  ];

  it.each(inputs)("are refused in a %s, with the character and its position named", (_field, parse) => {
    for (const character of unsafe) {
      const result = parse(character);
      expect(result.success, JSON.stringify(character)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/contains an invalid character \((NUL|U\+[0-9A-F]{4})\) at position \d+; remove it and try again\.$/);
    }
  });

  it("are dropped from display names (names are made one plain line rather than refused)", () => {
    // The C0 controls; lone surrogates and U+FFFE/U+FFFF are left to the feeds' output filter.
    for (const character of unsafe.filter((c) => c < " ")) {
      const result = userRegisterSchema.safeParse({ ...valid, displayName: `Ann ${character}Lee` });
      expect(result.data?.displayName, JSON.stringify(character)).toMatch(/^Ann ?Lee$/);
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

describe("postSlugSchema", () => {
  it("turns what a writer types into the address form, for the form and the server alike", () => {
    expect(postSlugSchema.parse("Release Notes & Clear Writing!")).toBe("release-notes-clear-writing");
    expect(postSlugSchema.parse("  Crème brûlée -- recipe ")).toBe("creme-brulee-recipe");
    expect(postSlugSchema.parse("already-fine")).toBe("already-fine");
  });

  it("refuses a slug with no letter or digit, and one too long, with a sentence", () => {
    expect(postSlugSchema.safeParse("!!!").error?.issues[0]?.message).toBe("The slug needs at least one letter or digit, like my-first-post.");
    expect(postSlugSchema.safeParse("a".repeat(81)).error?.issues[0]?.message).toBe("The slug must be at most 80 characters.");
  });
});
