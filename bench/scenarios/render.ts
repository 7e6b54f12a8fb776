import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

import { phaseMs, type BenchContext } from "../lib/context";
import { makeCorpus } from "../lib/markdown";
import { compareRates } from "../lib/rate";
import { makeRow, type ScenarioResult } from "../lib/results";
import { round } from "../lib/stats";

// 3. Render pipeline: renderMarkdown (parse, GFM, to HTML, sanitize, external links, plain text, reading
// time) against the bare Markdown-to-HTML pipeline without the sanitizer and the extras, on the same inputs,
// in this process (one core).

export const RENDER_POST_BYTES = 18_000;

/** remark-parse + remark-gfm + remark-rehype + rehype-stringify: the parser and serializer alone. */
export function bareRenderer(): (markdown: string) => string {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify).freeze();
  return (markdown) => String(processor.processSync(markdown));
}

export async function runRenderScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { renderMarkdown } = await import("@/server/render");
  const inputs = makeCorpus(40, RENDER_POST_BYTES, 3);
  const bare = bareRenderer();
  const roundMs = phaseMs(ctx, 12) / 8;
  const { a: full, b: baseline } = compareRates((md) => renderMarkdown(md), bare, inputs, { rounds: 4, roundMs, warmupMs: 700 });
  ctx.log(
    `render: renderMarkdown ${round(full.perSecond)} posts/s (${full.operations} in ${round(full.ms)} ms), ` +
      `bare parser ${round(baseline.perSecond)} posts/s (${baseline.operations} in ${round(baseline.ms)} ms)`,
  );
  return {
    rows: [makeRow("render: renderMarkdown vs bare remark→rehype, 18 KB posts", full.perSecond, baseline.perSecond, "posts/s", "higher")],
    notes: [],
  };
}
