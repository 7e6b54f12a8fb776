import { beforeAll, describe, expect, it } from "vitest";
import { POST_MARKDOWN_MAX } from "@/lib/validations/post";
import { RenderLimitError, renderMarkdown } from "@/server/render";
import { pathologicalMarkdown } from "../fixtures/pathological-markdown";

// The pipeline's worst case is linear: each pathological input at the size limit renders (or is
// refused as too deeply nested) in time comparable to ordinary prose of the same size, measured in
// this run. A quadratic parser path makes such an input hundreds of times slower than prose at this
// size (the previous pipeline: 148 s for `*a` against under a second), so a bound of 50x fails on a
// pathological slowdown and not on a busy machine. Absolute times are in `npm run bench`.

const RATIO_BOUND = 50;

/** Ordinary prose with some inline markup, exactly at the size limit. */
const prose = "A paragraph of ordinary prose with *some* emphasis, a [link](https://example.com) and `code`.\n\n"
  .repeat(Math.ceil(POST_MARKDOWN_MAX / 90))
  .slice(0, POST_MARKDOWN_MAX);

/** The fastest of `tries` renderings, in ms: the least disturbed by other work on the machine. */
function renderMs(markdown: string, tries = 2): number {
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    try {
      renderMarkdown(markdown);
    } catch (err) {
      if (!(err instanceof RenderLimitError)) throw err;
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("renderMarkdown's worst case", () => {
  let baseline = 0;
  beforeAll(() => {
    baseline = renderMs(prose, 4);
  });

  it.each(pathologicalMarkdown)("renders $name within 50x the time of prose of the same size", ({ markdown }) => {
    expect(markdown.length).toBeLessThanOrEqual(POST_MARKDOWN_MAX);
    const pathological = renderMs(markdown);
    expect(pathological / baseline).toBeLessThan(RATIO_BOUND);
  });

  it("refuses quotes nested past the limit with a reason instead of dropping the rest of the post", () => {
    expect(() => renderMarkdown(`${"> ".repeat(200)}deep\n\nAfter.`)).toThrow(/^it nests quotes or lists more than 100 levels deep$/);
    expect(renderMarkdown(`${"> ".repeat(20)}deep`).html).toContain("deep");
  });
});
