import { afterAll, describe, expect, it } from "vitest";
import { checkHealth } from "@/server/health";
import { closeConnections } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

describe("checkHealth", () => {
  it("reports Postgres and Redis up, with the queue's depths", async () => {
    const report = await checkHealth();
    expect(report).toMatchObject({ ok: true, postgres: { ok: true }, redis: { ok: true } });
    expect(report.queue).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
    });
  });
});
