import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS, DraftStore } from "@/components/editor/draft-store";
import type { PostUpdateInput } from "@/lib/validations/post";
import type { OwnPost, SavedPost } from "@/server/posts/service";

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
