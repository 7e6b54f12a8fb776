import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { anonymous, closeConnections, newWriter } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

/** A refused call must be refused as the caller's fault (4xx), never as a server error. */
async function refusedCleanly(call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return false;
  } catch (err) {
    expect((err as { code?: string }).code).not.toBe("INTERNAL_SERVER_ERROR");
    return true;
  }
}

const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800"));
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

describe("fuzzed router inputs", () => {
  it("posts.create never fails with a server error, and a refused call writes nothing", async () => {
    const { api } = await newWriter("Fuzz");
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.record({ title: value, markdown: value }), fc.record({ title: text, markdown: text }), value), async (input) => {
        // Deliberately unchecked input: this is what arrives over HTTP.
        if (!(await refusedCleanly(api.posts.create(input as never)))) created += 1;
        expect((await api.posts.list({ limit: 100 })).items.length).toBe(Math.min(created, 100));
      }),
      { numRuns: 150 },
    );
  });

  it("posts.update never fails with a server error and leaves the post untouched when refused", async () => {
    const { api } = await newWriter("Fuzz");
    const post = await api.posts.create({ title: "Target", markdown: "original" });
    await fc.assert(
      fc.asyncProperty(fc.record({ id: fc.oneof(fc.constant(post.id), fc.uuid(), text), version: value, title: value, markdown: value }, { requiredKeys: [] }), async (input) => {
        const before = await api.posts.byId({ id: post.id });
        if (await refusedCleanly(api.posts.update(input as never))) {
          expect(await api.posts.byId({ id: post.id })).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("users.updateProfile and users.register never fail with a server error", async () => {
    const { api } = await newWriter("Fuzz");
    await fc.assert(
      fc.asyncProperty(fc.record({ displayName: value, bio: value }, { requiredKeys: [] }), async (input) => {
        await refusedCleanly(api.users.updateProfile(input as never));
      }),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.record({ email: text, username: text, displayName: text, password: text }), async (input) => {
        await refusedCleanly(anonymous().users.register(input as never));
      }),
      { numRuns: 60 },
    );
  });

  it("posts.preview never fails with a server error", async () => {
    const { api } = await newWriter("Fuzz");
    await fc.assert(
      fc.asyncProperty(fc.record({ markdown: value }), async (input) => {
        await refusedCleanly(api.posts.preview(input as never));
      }),
      // Within the per-writer preview limit (120 a minute), so every call reaches the renderer.
      { numRuns: 110 },
    );
  });
});
