import { afterAll, describe, expect, it } from "vitest";
import { QUEUE_BOARD_PATH, isAdmin, queueBoard } from "@/server/admin/queue-board";
import { closeConnections, newWriter } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

describe("the operators' queue dashboard", () => {
  it("lists the posts queue with its jobs", async () => {
    const { api } = await newWriter("Ops");
    await api.posts.create({ title: "Queued for the board", markdown: "x" });
    const response = await queueBoard().fetch(new Request(`http://inkwell.test${QUEUE_BOARD_PATH}/api/queues?activeQueue=posts&status=waiting&page=1`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    const posts = body.queues.find((q) => q.name === "posts");
    expect(posts?.counts.waiting).toBeGreaterThan(0);
  });

  it("serves its page", async () => {
    const response = await queueBoard().fetch(new Request(`http://inkwell.test${QUEUE_BOARD_PATH}`));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("InkWell queues");
  });

  it("admits only the emails in ADMIN_EMAILS", () => {
    expect(isAdmin(undefined)).toBe(false);
    expect(isAdmin("writer@example.com")).toBe(false);
  });
});
