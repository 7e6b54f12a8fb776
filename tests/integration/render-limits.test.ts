import { afterAll, describe, expect, it } from "vitest";
import { checkHealth } from "@/server/health";
import { RenderPool, RenderTooComplexError } from "@/server/render/pool";
import { pathologicalMarkdown } from "../fixtures/pathological-markdown";
import { anonymous, closeConnections, errorCode, newWriter } from "./helpers";

// Rendering is bounded: it runs in render threads with a time limit and a nesting limit, so hostile
// Markdown costs a thread for at most the limit and never the web's event loop (issue 14).

afterAll(async () => {
  await closeConnections();
});

/** Latencies of `probe` called back to back until `until` settles. */
async function probeWhile(probe: () => Promise<unknown>, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    await probe();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

const healthy = async () => {
  const report = await checkHealth();
  expect(report.postgres.ok && report.redis.ok).toBe(true);
};

describe("posts.preview", () => {
  it("needs a session", async () => {
    expect(await errorCode(anonymous().posts.preview({ markdown: "# Hi" }))).toBe("UNAUTHORIZED");
  });

  it("renders each pathological input or refuses it as too complex, while the health probe keeps answering", async () => {
    const { api } = await newWriter("Probe");
    await api.posts.preview({ markdown: "warm-up" }); // the render thread has started
    const baseline = await probeWhile(healthy, new Promise((resolve) => setTimeout(resolve, 1_000)));

    const renderMs: number[] = [];
    const outcomes: string[] = [];
    const corpus = (async () => {
      for (const { name, markdown } of pathologicalMarkdown) {
        const started = performance.now();
        const refusal: unknown = await api.posts.preview({ markdown }).then(
          () => null,
          (err: unknown) => err,
        );
        renderMs.push(performance.now() - started);
        // Rendered, or refused with the reason for the writer: never a server error.
        if (refusal) expect(refusal).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^This post is too complex to render: /) });
        outcomes.push(`${name}: ${refusal ? "too complex" : "rendered"}`);
      }
    })();
    const during = await probeWhile(healthy, corpus);
    await corpus;

    expect(outcomes).toHaveLength(pathologicalMarkdown.length);
    // Had a rendering run on the event loop, a probe sent as it started would have waited for all of it.
    // Measured in this run: the probe's p99 while rendering stays under the slowest rendering, or within
    // ten times its own p99 at rest when every rendering was quick.
    expect(p99(during)).toBeLessThan(Math.max(Math.max(...renderMs), 10 * p99(baseline)));
  }, 300_000);

  it("refuses Markdown nested too deeply with the reason, as BAD_REQUEST", async () => {
    const { api } = await newWriter("Nest");
    const deep = `${">".repeat(3_000)} a`;
    await expect(api.posts.preview({ markdown: deep })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^This post is too complex to render: /),
    });
  }, 60_000);
});

describe("RenderPool", () => {
  it("stops a rendering that passes the time limit, then renders the next post on a fresh thread", async () => {
    const pool = new RenderPool({ threads: 1 });
    try {
      await pool.render("warm-up");
      const long = "A paragraph with *emphasis*, a [link](https://example.com) and `code`.\n\n".repeat(1_300);
      await expect(pool.render(long, 1)).rejects.toBeInstanceOf(RenderTooComplexError);
      await expect(pool.render(long, 1)).rejects.toThrow(/^This post is too complex to render: it took longer than 0\.001 seconds to render\./);
      expect((await pool.render("*after*")).html).toBe("<p><em>after</em></p>");
    } finally {
      await pool.close();
    }
  }, 60_000);
});
