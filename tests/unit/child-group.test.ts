import { describe, expect, it } from "vitest";
import { NODE_FROM_BIN } from "../../scripts/production";
import { RestartPolicy } from "../../scripts/restart-policy";
import { ChildGroup } from "../../scripts/services";

// ChildGroup runs `npm start`'s children; these are real processes (node -e …) with a fast policy.
const fast = () => new RestartPolicy({ initialDelayMs: 10, maxDelayMs: 40, healthyAfterMs: 60_000, maxRestarts: 3, windowMs: 60_000 });

describe("ChildGroup supervision", () => {
  it("restarts a crashing child, leaves the others running, and gives up on a crash loop with the child's exit code", async () => {
    const restarts: string[] = [];
    const logs: string[] = [];
    const gaveUp = new Promise<{ name: string; code: number }>((resolve) => {
      const group = new ChildGroup({
        detached: true,
        graceMs: 5_000,
        log: (message) => logs.push(message),
        onRestart: (name, restart, exit) => restarts.push(`${name} ${restart} (${exit})`),
        onUnexpectedExit: (name, code) => {
          resolve({ name, code });
          void group.stop("SIGTERM");
        },
      });
      group.start("steady", NODE_FROM_BIN, ["-e", "setInterval(() => {}, 1000)"], process.env, fast());
      group.start("crasher", NODE_FROM_BIN, ["-e", "process.exit(3)"], process.env, fast());
    });

    expect(await gaveUp).toEqual({ name: "crasher", code: 3 });
    expect(restarts).toEqual(["crasher 1 (code 3)", "crasher 2 (code 3)", "crasher 3 (code 3)"]);
    // The steady child was never restarted: one start, and no exit logged before the group stopped.
    expect(logs.filter((line) => line.startsWith("steady started"))).toHaveLength(1);
    expect(logs.filter((line) => line.startsWith("crasher started"))).toHaveLength(4);
    expect(logs.some((line) => /crasher exited \(code 3\) after 3 restarts .*crash-looping/.test(line))).toBe(true);
  });

  it("does not restart a child that stops because the group is stopping", async () => {
    const restarts: string[] = [];
    const unexpected: string[] = [];
    const group = new ChildGroup({
      detached: true,
      graceMs: 5_000,
      log: () => {},
      onRestart: (name) => restarts.push(name),
      onUnexpectedExit: (name) => unexpected.push(name),
    });
    group.start("steady", NODE_FROM_BIN, ["-e", "setInterval(() => {}, 1000)"], process.env, fast());
    await group.stop("SIGTERM");
    expect(restarts).toEqual([]);
    expect(unexpected).toEqual([]);
  });
});
