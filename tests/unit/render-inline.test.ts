import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/server/render";
import { INLINE_RENDER_MAX_CHARS, renderForJob } from "@/server/render/inline";
import { RenderTooComplexError, closeRenderThreads } from "@/server/render/pool";

describe("renderForJob", () => {
  it("renders a short post inline exactly as the pipeline does", async () => {
    const markdown = "# Title\n\nSome *text* with `code` and a [link](https://example.com).";
    expect(await renderForJob(markdown)).toEqual(renderMarkdown(markdown));
  });

  it("refuses a short post nested too deeply with the writer's reason, as the render threads do", async () => {
    const markdown = `${"> ".repeat(150)}a`;
    expect(markdown.length).toBeLessThanOrEqual(INLINE_RENDER_MAX_CHARS);
    await expect(renderForJob(markdown)).rejects.toBeInstanceOf(RenderTooComplexError);
  });

  it("hands a longer post to the render threads, with the same result", async () => {
    const markdown = `${"A paragraph of words. ".repeat(200)}\n\n- a list`;
    expect(markdown.length).toBeGreaterThan(INLINE_RENDER_MAX_CHARS);
    try {
      expect(await renderForJob(markdown)).toEqual(renderMarkdown(markdown));
    } finally {
      await closeRenderThreads();
    }
  });
});
