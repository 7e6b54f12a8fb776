import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/server/db";
import { closeProducer } from "@/server/jobs/producer";
import { checkHealth } from "@/server/health";

afterAll(async () => {
  await closeProducer();
  await closeDb();
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
