import type { MessagePort } from "node:worker_threads";
import { RenderLimitError, renderMarkdown, type RenderedPost } from "./index";

// The task a render thread runs (see pool.ts). Kept apart from index.ts so the thread bundle holds the
// pipeline and nothing else. It answers with a result instead of throwing for the limits a writer can
// hit: error objects lose their class when they cross the thread boundary.

export type RenderThreadResult = { ok: true; rendered: RenderedPost } | { ok: false; reason: string };

export interface RenderThreadTask {
  markdown: string;
  /** Told when rendering starts: the time limit runs from then. */
  started: MessagePort;
}

export default function renderTask({ markdown, started }: RenderThreadTask): RenderThreadResult {
  started.postMessage(null);
  started.close();
  try {
    return { ok: true, rendered: renderMarkdown(markdown) };
  } catch (err) {
    if (err instanceof RenderLimitError) return { ok: false, reason: err.message };
    // Should anything still recurse too deeply, the thread's stack is the bound, and the writer hears why.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return { ok: false, reason: "it nests quotes, lists or emphasis too deeply" };
    }
    throw err;
  }
}
