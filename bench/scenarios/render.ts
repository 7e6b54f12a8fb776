import hljs from "highlight.js/lib/common";
import MarkdownIt from "markdown-it";
import sanitize from "sanitize-html";

import { pathologicalMarkdown } from "../../tests/fixtures/pathological-markdown";
import { phaseMs, type BenchContext } from "../lib/context";
import { makeCodeHeavyCorpus, makeCorpus } from "../lib/markdown";
import { compareRates } from "../lib/rate";
import { makeRow, type Row, type ScenarioResult } from "../lib/results";
import { nowMs, round } from "../lib/stats";
import { renderMarkdownWithUnified } from "../lib/unified-render";

// 3. Render pipeline (issue 16), in this process (one core):
//   a) renderMarkdown (markdown-it + GFM plugins, highlight.js, sanitize-html allowlist, heading ids,
//      table of contents, plain text, reading time) against the well-known alternative doing the core
//      of that work, markdown-it + highlight.js + sanitize-html, on the same 18 KB posts, prose-heavy
//      and code-heavy; the previous remark/rehype pipeline against the same alternative, for comparison.
//   b) the pathological corpus (tests/fixtures/pathological-markdown.ts) at the 100,000-character
//      limit: the slowest of its renderings against plain prose of the same size, each under 1 s.

export const RENDER_POST_BYTES = 18_000;
const LIMIT_CHARS = 100_000;

/** markdown-it + highlight.js + sanitize-html (its default allowlist, plus the highlighter's classes). */
export function referenceRenderer(): (markdown: string) => string {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    highlight: (code, language) => (language && hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : ""),
  });
  const options: sanitize.IOptions = {
    allowedTags: [...sanitize.defaults.allowedTags, "img", "input", "del", "s"],
    allowedAttributes: { ...sanitize.defaults.allowedAttributes, code: ["class"], span: ["class"], input: ["type", "checked", "disabled"] },
  };
  return (markdown) => sanitize(md.render(markdown), options);
}

/** The fastest of three renderings, in ms (a refusal, such as too deep nesting, counts as a rendering). */
function bestMs(render: (markdown: string) => unknown, markdown: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = nowMs();
    try {
      render(markdown);
    } catch {
      // RenderLimitError: refused, which is an answer too
    }
    best = Math.min(best, nowMs() - t0);
  }
  return best;
}

export async function runRenderScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { renderMarkdown } = await import("@/server/render");
  const reference = referenceRenderer();
  const roundMs = phaseMs(ctx, 12) / 8;
  const rows: Row[] = [];
  const notes: string[] = [];

  const corpora = [
    { label: "prose-heavy", inputs: makeCorpus(40, RENDER_POST_BYTES, 3) },
    { label: "code-heavy", inputs: makeCodeHeavyCorpus(40, RENDER_POST_BYTES, 5) },
  ];
  for (const { label, inputs } of corpora) {
    const { a: ours, b: baseline } = compareRates((md) => renderMarkdown(md), reference, inputs, { rounds: 4, roundMs, warmupMs: 700 });
    ctx.log(`render (${label}): renderMarkdown ${round(ours.perSecond)} posts/s, markdown-it + highlight.js + sanitize-html ${round(baseline.perSecond)} posts/s`);
    rows.push(makeRow(`render: renderMarkdown vs markdown-it + highlight.js + sanitize-html, 18 KB ${label} posts`, ours.perSecond, baseline.perSecond, "posts/s", "higher"));
    notes.push(`Render target (issue 16): renderMarkdown at ${round(ours.perSecond / baseline.perSecond)}x markdown-it + highlight.js + sanitize-html on ${label} posts (at least 0.5x wanted).`);
  }
  // The previous pipeline on the prose-heavy posts, against the same alternative: "today's" row.
  const prose = corpora[0]!.inputs;
  const { a: unifiedRate, b: referenceRate } = compareRates(renderMarkdownWithUnified, reference, prose, { rounds: 2, roundMs: roundMs / 2, warmupMs: 300 });
  rows.push(makeRow("render: previous remark/rehype pipeline vs markdown-it + highlight.js + sanitize-html, 18 KB prose-heavy posts", unifiedRate.perSecond, referenceRate.perSecond, "posts/s", "higher"));

  // b) The pathological corpus at the size limit.
  const plainText = makeCorpus(1, LIMIT_CHARS + 2_000, 11)[0]!.slice(0, LIMIT_CHARS);
  const plainMs = bestMs(renderMarkdown, plainText);
  const timings = pathologicalMarkdown.map(({ name, markdown }) => ({ name, ms: bestMs(renderMarkdown, markdown) }));
  const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
  const overSecond = timings.filter((t) => t.ms >= 1_000);
  ctx.log(`render: pathological corpus at ${LIMIT_CHARS} chars: ${timings.map((t) => `${t.name} ${round(t.ms)} ms`).join("; ")}; plain prose ${round(plainMs)} ms`);
  rows.push(makeRow(`render: slowest of ${timings.length} pathological inputs vs plain prose, 100,000 characters`, slowest.ms, plainMs, "ms", "lower"));
  notes.push(
    `Pathological corpus: slowest is ${slowest.name} at ${round(slowest.ms)} ms (plain prose of the same size: ${round(plainMs)} ms); ` +
      (overSecond.length === 0 ? "every input renders in under 1 s." : `${overSecond.length} took 1 s or more: ${overSecond.map((t) => t.name).join(", ")}.`),
  );
  return { rows, notes };
}
