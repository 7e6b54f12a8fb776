import { describe, expect, it } from "vitest";
import { SLOW_PROCESSING_MS, canGoLive, postState, type PostStateFields } from "@/components/post-state";

// The words a writer reads about a post: never the queue's ("queued", "ready"), and honest when a
// published post is not yet readable.

const at = new Date("2026-12-07T12:00:00.000Z");
const base: PostStateFields = {
  visibility: "draft",
  status: "ready",
  version: 1,
  publishedVersion: null,
  goingLiveVersion: null,
  goingLiveAt: null,
  scheduledAt: null,
  error: null,
};
const after = (ms: number) => at.getTime() + ms;

describe("postState", () => {
  it("says Processing… after Publish, then Not live yet — still processing once 30 s have passed", () => {
    const publishing: PostStateFields = { ...base, visibility: "published", status: "processing", goingLiveVersion: 1, goingLiveAt: at };
    expect(postState(publishing, after(1_000)).label).toBe("Processing…");
    expect(postState(publishing, after(SLOW_PROCESSING_MS - 1)).label).toBe("Processing…");
    const slow = postState(publishing, after(SLOW_PROCESSING_MS));
    expect(slow.label).toBe("Not live yet — still processing");
    expect(slow.detail).toContain("Page not found");
  });

  it("says Failed — Retry with the reason when a publish could not be processed", () => {
    const failed = postState({ ...base, visibility: "published", status: "failed", goingLiveVersion: 1, goingLiveAt: at, error: "Render timed out." }, after(60_000));
    expect(failed).toMatchObject({ kind: "failed", label: "Failed — Retry" });
    expect(failed.detail).toContain("Render timed out.");
  });

  it("says Live, and counts a live post's unpublished changes", () => {
    expect(postState({ ...base, visibility: "published", publishedVersion: 1 }, after(0)).label).toBe("Live");
    expect(postState({ ...base, visibility: "published", version: 2, publishedVersion: 1 }, after(0)).label).toBe("Live — 1 unpublished change");
    expect(postState({ ...base, visibility: "published", version: 4, publishedVersion: 1 }, after(0)).label).toBe("Live — 3 unpublished changes");
  });

  it("says an update is on its way, and when it is slow, while readers keep the live version", () => {
    const updating: PostStateFields = { ...base, visibility: "published", status: "queued", version: 3, publishedVersion: 1, goingLiveVersion: 3, goingLiveAt: at };
    expect(postState(updating, after(0)).label).toBe("Live — updating…");
    expect(postState(updating, after(SLOW_PROCESSING_MS)).label).toBe("Live — update still processing");
  });

  it("tells a writer whose save came after Publish or Update to press it again", () => {
    const neverLive: PostStateFields = { ...base, visibility: "published", status: "queued", version: 2, goingLiveVersion: 1, goingLiveAt: at };
    expect(postState(neverLive, after(0))).toMatchObject({ kind: "superseded", label: "Not live yet — edited since Publish" });
    expect(canGoLive(neverLive)).toBe(true);
    const live: PostStateFields = { ...base, visibility: "published", status: "queued", version: 4, publishedVersion: 2, goingLiveVersion: 3, goingLiveAt: at };
    expect(postState(live, after(SLOW_PROCESSING_MS)).label).toBe("Live — 2 unpublished changes");
    expect(postState(live, after(0)).detail).toContain("update again");
    expect(canGoLive(live)).toBe(true);
    expect(canGoLive({ ...live, version: 3 })).toBe(true);
    expect(canGoLive({ ...base, visibility: "published", publishedVersion: 2, version: 2 })).toBe(false);
  });

  it("never uses the queue's words", () => {
    for (const status of ["queued", "processing", "ready", "failed"] as const) {
      for (const visibility of ["draft", "scheduled", "published"] as const) {
        const state = postState({ ...base, status, visibility, publishedVersion: visibility === "published" ? 1 : null }, after(0));
        expect(`${state.label} ${state.detail}`).not.toMatch(/\b(queued|ready)\b/i);
      }
    }
  });
});
