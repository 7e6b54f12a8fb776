import { afterAll, describe, expect, it } from "vitest";
import { QUEUE_BOARD_PATH, createQueueBoard, isAdmin, queueBoard } from "@/server/admin/queue-board";
import { env } from "@/server/env.js";
import { queue } from "@/server/jobs/queues";
import { closeConnections, newWriter } from "./helpers";

afterAll(async () => {
  await closeConnections();
});

const APP_ORIGIN = new URL(env.APP_URL).origin;
const ADD_JOB = `${APP_ORIGIN}${QUEUE_BOARD_PATH}/api/queues/accounts/add`;
// The job the probe added: a mail of the attacker's choosing, in the accounts queue.
const FORGED_JOB = JSON.stringify({ name: "send-mail", data: { kind: "change-email", userId: "00000000-0000-0000-0000-000000000000", to: "attacker@evil.example" }, options: {} });

async function jobCount(): Promise<number> {
  const counts = await queue("accounts").getJobCounts("waiting", "delayed", "active", "prioritized");
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Sends a write to the board and says whether a job was added. */
async function tryAddJob(board: ReturnType<typeof createQueueBoard>, init: { method?: string; headers: Record<string, string>; body?: string }) {
  const before = await jobCount();
  const response = await board.fetch(new Request(ADD_JOB, { method: init.method ?? "POST", headers: init.headers, body: init.body }));
  return { status: response.status, added: (await jobCount()) - before };
}

describe("the operators' queue dashboard", () => {
  it("lists the posts queue with its jobs", async () => {
    const { api } = await newWriter("Ops");
    await api.posts.create({ title: "Queued for the board", markdown: "x" });
    const response = await queueBoard().fetch(new Request(`http://inkwell.test${QUEUE_BOARD_PATH}/api/queues?activeQueue=posts&status=waiting&page=1`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    const posts = body.queues.find((q) => q.name === "posts");
    expect(posts?.counts.waiting).toBeGreaterThan(0);
    expect(posts?.readOnlyMode).toBe(true);
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

  it("is read-only by default: even the dashboard's own JSON writes change nothing", async () => {
    expect(env.ADMIN_QUEUE_WRITES).toBe(false);
    const ownWrite = { origin: APP_ORIGIN, "sec-fetch-site": "same-origin", "content-type": "application/json" };
    expect(await tryAddJob(queueBoard(), { headers: ownWrite, body: FORGED_JOB })).toEqual({ status: 405, added: 0 });
    for (const [method, path] of [
      ["PUT", "/api/queues/accounts/retry/failed"],
      ["PUT", "/api/queues/accounts/clean/completed"],
      ["PUT", "/api/queues/accounts/pause"],
      ["PUT", "/api/queues/pause"],
      ["PUT", "/api/queues/accounts/empty"],
      ["DELETE", "/api/queues/accounts/obliterate"],
    ] as const) {
      const response = await queueBoard().fetch(new Request(`${APP_ORIGIN}${QUEUE_BOARD_PATH}${path}`, { method, headers: ownWrite }));
      expect(response.status, `${method} ${path}`).toBe(405);
    }
    // Bull Board itself also refuses, for any route that reached it another way.
    const bullBoardAlone = createQueueBoard({ writes: false });
    const response = await bullBoardAlone.fetch(new Request(`${APP_ORIGIN}${QUEUE_BOARD_PATH}/api/queues?activeQueue=accounts&status=latest&page=1`));
    expect(((await response.json()) as { queues: { readOnlyMode: boolean }[] }).queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  describe("with writes turned on (ADMIN_QUEUE_WRITES=1)", () => {
    const board = createQueueBoard({ writes: true, appOrigin: APP_ORIGIN });

    it("refuses the cross-origin text/plain form post the probe used, and its variants", async () => {
      // A same-site page on another port or subdomain: the browser sends the operator's Lax cookie along.
      const sameSiteOtherOrigin = { "sec-fetch-site": "same-site", "content-type": "text/plain" };
      const attempts: { headers: Record<string, string>; body?: string }[] = [
        { headers: { ...sameSiteOtherOrigin, origin: "http://localhost:8080" }, body: FORGED_JOB },
        { headers: { ...sameSiteOtherOrigin, origin: `${new URL(APP_ORIGIN).protocol}//sub.${new URL(APP_ORIGIN).host}` }, body: FORGED_JOB },
        { headers: { "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body: FORGED_JOB },
        { headers: { "content-type": "application/json", origin: "null" }, body: FORGED_JOB },
        { headers: { "content-type": "application/json" }, body: FORGED_JOB }, // no Origin at all
        { headers: { "content-type": "application/json", origin: `${APP_ORIGIN}.evil.example` }, body: FORGED_JOB },
        { headers: { "content-type": "application/json", origin: APP_ORIGIN, "sec-fetch-site": "same-site" }, body: FORGED_JOB },
        // From the app's own origin, bodies a form could send are refused too.
        { headers: { "content-type": "text/plain", origin: APP_ORIGIN }, body: FORGED_JOB },
        { headers: { "content-type": "text/plain;charset=UTF-8", origin: APP_ORIGIN }, body: `${FORGED_JOB.slice(0, -1)}, "x": "="}` },
        { headers: { "content-type": "application/x-www-form-urlencoded", origin: APP_ORIGIN }, body: `${FORGED_JOB}=` },
        { headers: { "content-type": "multipart/form-data; boundary=x", origin: APP_ORIGIN }, body: `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${FORGED_JOB}\r\n--x--` },
        { headers: { origin: APP_ORIGIN }, body: FORGED_JOB }, // a body with no content type
      ];
      for (const attempt of attempts) {
        const result = await tryAddJob(board, attempt);
        expect(result.added, JSON.stringify(attempt.headers)).toBe(0);
        expect([403, 415], JSON.stringify(attempt.headers)).toContain(result.status);
      }
    });

    it("accepts the dashboard's own JSON write (the control: the refusals above are not a broken route)", async () => {
      const result = await tryAddJob(board, {
        headers: { "content-type": "application/json", origin: APP_ORIGIN, "sec-fetch-site": "same-origin" },
        body: JSON.stringify({ name: "board-test", data: {}, options: { delay: 3_600_000 } }),
      });
      expect(result).toEqual({ status: 200, added: 1 });
      const added = (await queue("accounts").getJobs(["delayed"])).filter((job) => job.name === "board-test");
      await Promise.all(added.map((job) => job.remove()));
    });
  });
});
