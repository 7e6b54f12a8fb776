import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS, DraftStore } from "@/components/editor/draft-store";
import type { DraftStoreOptions } from "@/components/editor/draft-snapshot";
import { readLocalDraft, writeLocalDraft } from "@/components/editor/local-drafts";
import { emptyFields, fieldsOf } from "@/components/editor/post-fields";
import { classifySaveError } from "@/components/editor/save-errors";
import type { PostUpdateInput } from "@/lib/validations/post";
import type { OwnPost, SavedPost } from "@/trpc/types";

// The draft store outside React, with fake timers: when autosave reaches the server while the writer
// types steadily or pauses. The browser parts it touches (online/offline events, localStorage) are a
// bare EventTarget and an in-memory storage.

class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

function ownPost(overrides: Partial<OwnPost> = {}): OwnPost {
  const now = new Date("2026-01-01T00:00:00Z");
  return {
    id: "7b0f4d1c-0000-4000-8000-000000000001",
    title: "A post",
    slug: "a-post",
    markdown: "",
    html: null,
    excerpt: null,
    excerptOverride: null,
    tags: [],
    coverImageUrl: null,
    coverImageAlt: null,
    canonicalUrl: null,
    wordCount: 0,
    readingTimeMinutes: 0,
    visibility: "draft",
    scheduledAt: null,
    status: "ready",
    version: 1,
    processedVersion: 1,
    publishedVersion: null,
    publishedSlug: null,
    goingLiveVersion: null,
    goingLiveAt: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    publishedAt: null,
    ...overrides,
  };
}

/** A store for an existing post whose server answers each update at once, recording what it got. */
function storeWithServer() {
  let version = 1;
  const updates: PostUpdateInput[] = [];
  const store = new DraftStore({
    initialPost: ownPost(),
    api: {
      create: () => Promise.reject(new Error("not used")),
      update: (input) => {
        updates.push(input);
        version += 1;
        const { html: _html, ...saved } = ownPost({ version, markdown: input.markdown ?? "" });
        return Promise.resolve(saved satisfies SavedPost);
      },
      byId: () => Promise.resolve(ownPost({ version })),
    },
    onServerPost: () => {},
    onCreated: () => {},
  });
  return { store, updates };
}

/** Types one character every `everyMs` for `forMs`, letting timers (and settled saves) run in between. */
async function typeSteadily(store: DraftStore, everyMs: number, forMs: number) {
  for (let elapsed = 0; elapsed < forMs; elapsed += everyMs) {
    store.edit({ markdown: store.getSnapshot().draft.markdown + "a" });
    await vi.advanceTimersByTimeAsync(everyMs);
  }
}

describe("DraftStore autosave", () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("window", Object.assign(new EventTarget(), { localStorage: new MemoryStorage() }));
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("saves a moment after typing stops", async () => {
    const { store, updates } = storeWithServer();
    stop = store.start();
    store.edit({ markdown: "Hello" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 1);
    expect(updates).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(updates.map((u) => u.markdown)).toEqual(["Hello"]);
    expect(store.getSnapshot().dirty).toBe(false);
  });

  it("saves at least every AUTOSAVE_MAX_WAIT_MS while the writer never pauses", async () => {
    const { store, updates } = storeWithServer();
    stop = store.start();
    // About 70 words a minute: a keystroke every 150 ms, never a pause as long as the debounce.
    await typeSteadily(store, 150, AUTOSAVE_MAX_WAIT_MS - 300);
    expect(updates).toHaveLength(0);
    await typeSteadily(store, 150, 600);
    expect(updates).toHaveLength(1);
    // The save carried everything typed until it started.
    expect(updates[0]?.markdown?.length).toBeGreaterThanOrEqual(Math.floor((AUTOSAVE_MAX_WAIT_MS - 300) / 150));

    // Thirty more seconds of steady typing: a save every ten seconds, each with more text than the last.
    await typeSteadily(store, 150, 30_000);
    expect(updates.length).toBeGreaterThanOrEqual(4);
    const lengths = updates.map((u) => u.markdown?.length ?? 0);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it("starts the max-wait clock at the first edit after a save, not at the last one", async () => {
    const { store, updates } = storeWithServer();
    stop = store.start();
    store.edit({ markdown: "first" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(updates).toHaveLength(1);
    // A long quiet spell, then steady typing: the next save is a full max-wait after that typing began.
    await vi.advanceTimersByTimeAsync(60_000);
    await typeSteadily(store, 200, AUTOSAVE_MAX_WAIT_MS - 400);
    expect(updates).toHaveLength(1);
    await typeSteadily(store, 200, 800);
    expect(updates).toHaveLength(2);
  });

  it("sends nothing while the post is unchanged", async () => {
    const { store, updates } = storeWithServer();
    stop = store.start();
    store.edit({ markdown: "x" });
    store.edit({ markdown: "" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MAX_WAIT_MS * 2);
    expect(updates).toHaveLength(0);
  });
});

/** An error as the tRPC client hands it over when the server refused a call. */
function refusal(code: string, message: string, data: Record<string, unknown> = {}) {
  return TRPCClientError.from({ error: { code: -32600, message, data: { code, httpStatus: 400, ...data } } });
}

/** A store for an existing post with the given server calls (the rest fail the test if called). */
function storeFor(api: Partial<DraftStoreOptions["api"]>, initialPost = ownPost()) {
  const fail = () => Promise.reject(new Error("not expected in this test"));
  return new DraftStore({ initialPost, api: { create: fail, update: fail, byId: fail, ...api }, onServerPost: () => {}, onCreated: () => {} });
}

function saved(post: OwnPost): SavedPost {
  const { html: _html, ...rest } = post;
  return rest;
}

describe("DraftStore when a save fails", () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("window", Object.assign(new EventTarget(), { localStorage: new MemoryStorage() }));
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("marks a taken slug on its field and saves the rest of the edit without it", async () => {
    const updates: PostUpdateInput[] = [];
    const store = storeFor({
      update: (input) => {
        updates.push(input);
        if (input.slug !== undefined) return Promise.reject(refusal("CONFLICT", "Another of your posts already uses that slug.", { field: "slug" }));
        return Promise.resolve(saved(ownPost({ version: 2, title: input.title ?? "A post" })));
      },
    });
    stop = store.start();
    store.edit({ slug: "taken", title: "A new title" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    await vi.advanceTimersByTimeAsync(10); // the save of the rest, scheduled at once
    expect(updates.map((u) => [u.slug, u.title])).toEqual([
      ["taken", "A new title"],
      [undefined, "A new title"],
    ]);
    expect(store.getSnapshot().fieldErrors.slug).toEqual(["Another of your posts already uses that slug."]);
    // The refused value is not sent again until the writer changes it.
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MAX_WAIT_MS);
    expect(updates).toHaveLength(2);
  });

  it("opens the conflict on a stale version, and Keep mine saves the writer's edit on the server's version", async () => {
    const theirs = ownPost({ version: 5, title: "Their title", markdown: "Their text" });
    const updates: PostUpdateInput[] = [];
    const store = storeFor({
      update: (input) => {
        updates.push(input);
        if (input.version !== theirs.version) return Promise.reject(refusal("CONFLICT", "This post was changed elsewhere."));
        return Promise.resolve(saved({ ...theirs, version: 6, markdown: input.markdown ?? theirs.markdown }));
      },
      byId: () => Promise.resolve(theirs),
    });
    stop = store.start();
    store.edit({ markdown: "My text" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(store.getSnapshot().save.kind).toBe("conflict");
    expect(store.getSnapshot().conflict).toMatchObject({ baseVersion: 1, server: { version: 5 } });
    // Nothing is sent while the writer has not chosen.
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MAX_WAIT_MS);
    expect(updates).toHaveLength(1);

    store.keepMine();
    await vi.advanceTimersByTimeAsync(0);
    // Only the field the writer changed is theirs to keep; the title they did not touch takes the server's.
    expect(updates[1]).toEqual({ id: theirs.id, version: 5, markdown: "My text" });
    expect(store.getSnapshot().draft).toMatchObject({ title: "Their title", markdown: "My text" });
    expect(store.getSnapshot()).toMatchObject({ conflict: null, dirty: false, base: { version: 6 } });
  });

  it("replaces the draft with the server's version on Take theirs", async () => {
    const theirs = ownPost({ version: 3, markdown: "Their text" });
    const store = storeFor({ update: () => Promise.reject(refusal("CONFLICT", "Changed elsewhere.")), byId: () => Promise.resolve(theirs) });
    stop = store.start();
    store.edit({ markdown: "Mine" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    store.takeTheirs();
    expect(store.getSnapshot()).toMatchObject({ conflict: null, dirty: false, save: { kind: "idle" }, base: { version: 3 }, draft: { markdown: "Their text" } });
  });

  it("goes offline when the server cannot be reached, keeps the text in the browser, and retries", async () => {
    let reachable = false;
    const updates: PostUpdateInput[] = [];
    const store = storeFor({
      update: (input) => {
        updates.push(input);
        if (!reachable) return Promise.reject(new TypeError("Failed to fetch"));
        return Promise.resolve(saved(ownPost({ version: 2, markdown: input.markdown ?? "" })));
      },
    });
    stop = store.start();
    store.edit({ markdown: "Written on a train" });
    expect(readLocalDraft(ownPost().id)?.fields.markdown).toBe("Written on a train");
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(store.getSnapshot().save.kind).toBe("offline");

    reachable = true;
    await vi.advanceTimersByTimeAsync(1_000); // the first retry
    expect(updates).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ dirty: false, save: { kind: "idle" } });
    // The server has it all: the browser's copy is gone.
    expect(readLocalDraft(ownPost().id)).toBeNull();
  });

  it("says a deleted post no longer exists and keeps the text, without retrying", async () => {
    const updates: PostUpdateInput[] = [];
    const store = storeFor({
      update: (input) => {
        updates.push(input);
        return Promise.reject(refusal("NOT_FOUND", "Post not found."));
      },
    });
    stop = store.start();
    store.edit({ markdown: "Still here" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(store.getSnapshot().save).toMatchObject({ kind: "failed", retryAt: null, message: expect.stringContaining("no longer exists") });
    expect(store.getSnapshot().draft.markdown).toBe("Still here");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(updates).toHaveLength(1);
  });
});

describe("DraftStore with a copy kept in this browser", () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("window", Object.assign(new EventTarget(), { localStorage: new MemoryStorage() }));
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("offers the copy back and saves it like any edit when the writer restores it", async () => {
    const post = ownPost({ markdown: "On the server" });
    writeLocalDraft({ postId: post.id, baseVersion: 1, fields: { ...fieldsOf(post), markdown: "Typed before the tab closed" }, savedAt: 0 });
    const updates: PostUpdateInput[] = [];
    const store = storeFor(
      {
        update: (input) => {
          updates.push(input);
          return Promise.resolve(saved(ownPost({ version: 2, markdown: input.markdown ?? "" })));
        },
      },
      post,
    );
    stop = store.start();
    expect(store.getSnapshot().localOffer?.fields.markdown).toBe("Typed before the tab closed");
    expect(updates).toHaveLength(0);

    store.restoreLocal();
    await vi.advanceTimersByTimeAsync(0);
    expect(updates).toEqual([{ id: post.id, version: 1, markdown: "Typed before the tab closed" }]);
    expect(store.getSnapshot()).toMatchObject({ localOffer: null, dirty: false });
  });

  it("forgets a copy that says what the server already has", () => {
    const post = ownPost({ markdown: "Same" });
    writeLocalDraft({ postId: post.id, baseVersion: 1, fields: fieldsOf(post), savedAt: 0 });
    const store = storeFor({}, post);
    stop = store.start();
    expect(store.getSnapshot().localOffer).toBeNull();
    expect(readLocalDraft(post.id)).toBeNull();
  });
});

describe("DraftStore for a new post", () => {
  let stop: () => void = () => {};

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("window", Object.assign(new EventTarget(), { localStorage: new MemoryStorage() }));
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("creates the post only once it has a title, with no error shown while the writer is still typing", async () => {
    const created: { title: string; markdown: string }[] = [];
    const onCreated = vi.fn();
    const store = new DraftStore({
      initialPost: null,
      api: {
        create: (input) => {
          created.push(input);
          return Promise.resolve(ownPost({ title: input.title, markdown: input.markdown }));
        },
        update: () => Promise.reject(new Error("not expected")),
        byId: () => Promise.reject(new Error("not expected")),
      },
      onServerPost: () => {},
      onCreated,
    });
    stop = store.start();
    store.edit({ markdown: "A body first" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MAX_WAIT_MS);
    expect(created).toHaveLength(0);
    expect(store.getSnapshot()).toMatchObject({ save: { kind: "blocked" }, fieldErrors: {} });

    store.edit({ title: "Then a title" });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    expect(created).toEqual([{ title: "Then a title", markdown: "A body first" }]);
    expect(onCreated).toHaveBeenCalledOnce();
    expect(store.getSnapshot()).toMatchObject({ postId: ownPost().id, dirty: false });
    expect(store.getSnapshot().draft).not.toEqual(emptyFields);
  });
});

describe("classifySaveError", () => {
  it("tells apart what the store does next", () => {
    expect(classifySaveError(new TypeError("Failed to fetch"))).toEqual({ kind: "offline" });
    expect(classifySaveError(refusal("CONFLICT", "Changed elsewhere."))).toEqual({ kind: "conflict" });
    expect(classifySaveError(refusal("UNAUTHORIZED", "Sign in to continue."))).toMatchObject({ kind: "failed", retry: true, signedOut: true });
    expect(classifySaveError(refusal("TOO_MANY_REQUESTS", "Slow down."))).toMatchObject({ kind: "failed", retry: true });
    expect(classifySaveError(refusal("FORBIDDEN", "Not yours."))).toEqual({ kind: "failed", message: "Not yours.", retry: false });
  });

  it("keeps only the editor's fields from the server's validation messages", () => {
    const error = refusal("BAD_REQUEST", "The post is too long: at most 100,000 characters.", {
      zodError: { formErrors: [], fieldErrors: { markdown: ["The post is too long: at most 100,000 characters."], version: ["Expected a number."] } },
    });
    expect(classifySaveError(error)).toMatchObject({ kind: "refused-fields", messages: { markdown: "The post is too long: at most 100,000 characters." } });
  });
});
