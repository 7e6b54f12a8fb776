import { describe, expect, it } from "vitest";
import { RestartPolicy } from "../../scripts/restart-policy";

// The clock is passed in: `at(s)` is a time in seconds after an arbitrary start.
const at = (seconds: number) => 1_000_000 + seconds * 1_000;

describe("RestartPolicy", () => {
  it("restarts after 1 s, doubling up to 30 s while the child keeps crashing", () => {
    const policy = new RestartPolicy({ initialDelayMs: 1_000, maxDelayMs: 30_000, healthyAfterMs: 60_000, maxRestarts: 100, windowMs: 120_000 });
    const delays: number[] = [];
    let now = at(0);
    for (let crash = 0; crash < 8; crash++) {
      const decision = policy.onUnexpectedExit(now, now + 500); // each run lasts half a second
      if (decision.action !== "restart") throw new Error("gave up");
      delays.push(decision.delayMs);
      now += 500 + decision.delayMs;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(policy.restarts).toBe(8);
  });

  it("starts the backoff over after a minute of health", () => {
    const policy = new RestartPolicy();
    expect(policy.onUnexpectedExit(at(0), at(1))).toMatchObject({ action: "restart", delayMs: 1_000, restart: 1 });
    expect(policy.onUnexpectedExit(at(2), at(3))).toMatchObject({ action: "restart", delayMs: 2_000, restart: 2 });
    // Up from 5 s to 70 s: healthy, so the next restart waits 1 s again.
    expect(policy.onUnexpectedExit(at(5), at(70))).toMatchObject({ action: "restart", delayMs: 1_000, restart: 3 });
  });

  it("gives up on a crash loop: the crash after 5 restarts within 2 minutes", () => {
    const policy = new RestartPolicy();
    let now = at(0);
    for (let restart = 1; restart <= 5; restart++) {
      const decision = policy.onUnexpectedExit(now, now + 100);
      expect(decision).toMatchObject({ action: "restart", restart });
      if (decision.action === "restart") now += 100 + decision.delayMs;
    }
    expect(policy.onUnexpectedExit(now, now + 100)).toEqual({ action: "give-up", restartsInWindow: 5 });
  });

  it("does not count restarts older than 2 minutes towards a crash loop", () => {
    const policy = new RestartPolicy();
    for (const second of [0, 10, 20, 30]) policy.onUnexpectedExit(at(second), at(second + 1));
    // Five restarts in all, but only one (at 131 s) within the 2 minutes before 250 s.
    expect(policy.onUnexpectedExit(at(130), at(131))).toMatchObject({ action: "restart", restart: 5 });
    expect(policy.onUnexpectedExit(at(200), at(250))).toMatchObject({ action: "restart", restart: 6 });
  });
});
