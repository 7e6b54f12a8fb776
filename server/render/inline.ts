import { RenderLimitError, renderMarkdown, type RenderedPost } from "./index";
import { RenderTooComplexError, renderInThread } from "./pool";

// The worker's way to render a post version. Handing a post to a render thread costs a message each way,
// a channel and a timer: more than rendering a short post itself. A post this short renders on the
// worker's own thread: the pipeline is linear in its input even at its worst (tests/unit/render.linear.test.ts,
// the pathological corpus in `npm run bench`), so no text of this length can hold the event loop for more
// than a few milliseconds, and nesting is capped as in the threads. Longer posts go to the render threads
// and their time limit. Previews always use the threads: they run in the web process.

/** Posts up to this many characters render inline in the worker. */
export const INLINE_RENDER_MAX_CHARS = 2_000;

export async function renderForJob(markdown: string): Promise<RenderedPost> {
  if (markdown.length > INLINE_RENDER_MAX_CHARS) return renderInThread(markdown);
  try {
    return renderMarkdown(markdown);
  } catch (err) {
    if (err instanceof RenderLimitError) throw new RenderTooComplexError(err.message);
    throw err;
  }
}
