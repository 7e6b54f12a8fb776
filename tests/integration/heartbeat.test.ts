import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { deleteRedisPrefix } from "../../scripts/services";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `{inkwell-test-heartbeat-${randomBytes(4).toString("hex")}}`;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  await deleteRedisPrefix(redisUrl, prefix);
  await redis.quit();
});

describe("worker heartbeats", () => {
  it("tell apart two worker processes with the same host name and pid, as containers on the host network have", async () => {
    // Each import of the module is one process start: same host name, same pid (both containers' pid 1).
    const first = await import("@/server/jobs/heartbeat");
    vi.resetModules();
    const second = await import("@/server/jobs/heartbeat");

    const [a, b] = [first.workerId(), second.workerId()];
    expect(a).toBe(first.workerId()); // one id for the life of a process
    expect(a.startsWith(`${hostname()}:${process.pid}:`)).toBe(true);
    expect(b.startsWith(`${hostname()}:${process.pid}:`)).toBe(true);
    expect(a).not.toBe(b);

    // Both announce themselves; the health check must count two live workers, not one.
    const at = new Date().toISOString();
    await first.writeHeartbeat(redis, prefix, { id: a, at, concurrency: 4, metrics: [] });
    await second.writeHeartbeat(redis, prefix, { id: b, at, concurrency: 4, metrics: [] });
    const live = await first.readHeartbeats(redis, prefix);
    expect(live.map((beat) => beat.id).sort()).toEqual([a, b].sort());

    // One stopping leaves the other counted.
    await first.removeHeartbeat(redis, prefix, a);
    expect((await first.readHeartbeats(redis, prefix)).map((beat) => beat.id)).toEqual([b]);
  });
});
