import { existsSync } from "node:fs";
import path from "node:path";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { env } from "../env.js";
import type { RenderedPost } from "./index";
import { BUNDLED_THREAD_FILE } from "./thread-file";
import type { RenderThreadResult, RenderThreadTask } from "./thread";

// Rendering runs in worker threads, never on a process's event loop: a post that is slow to render (a
// parser's worst case, a huge table) costs one thread, which is killed when it passes the time limit,
// while the web keeps answering and the worker keeps its other jobs. Preview and the worker both render
// through here, with the same pipeline (index.ts) and the same limits.

/** How long one rendering may take, counted from when a thread starts on it (not while it waits for one). */
export const RENDER_TIME_LIMIT_MS = 5_000;
/** A thread's heap; a rendering that needs more is stopped as too complex. */
const THREAD_HEAP_MB = 256;

/** The writer's text cannot be rendered within the limits; saying so is the whole answer (no retry helps). */
export class RenderTooComplexError extends Error {
  constructor(readonly reason: string) {
    super(`This post is too complex to render: ${reason}. Simplify it (fewer nested quotes or lists, fewer unclosed brackets or emphasis marks) and save again.`);
    this.name = "RenderTooComplexError";
  }
}

/** Every render thread is busy and the queue is full: a moment later will do. */
export class RenderBusyError extends Error {
  constructor() {
    super("Too many posts are being rendered right now. Try again in a moment.");
    this.name = "RenderBusyError";
  }
}

/**
 * The thread's module: the bundle beside the production entry point, else the source tree's entry (tests,
 * `npm run dev`, `npm run worker` and the benchmarks all run from the repository root).
 */
function threadModule(): string {
  const entry = process.argv[1];
  if (entry) {
    const bundled = path.join(path.dirname(entry), BUNDLED_THREAD_FILE);
    if (existsSync(bundled)) return bundled;
  }
  return path.join(process.cwd(), "server", "render", "thread-entry.mjs");
}

export interface RenderPoolOptions {
  threads: number;
  timeLimitMs?: number;
  /** Renderings that may wait for a thread before RenderBusyError. */
  maxQueue?: number;
}

export class RenderPool {
  readonly timeLimitMs: number;
  private readonly pool: Piscina<RenderThreadTask, RenderThreadResult>;

  constructor({ threads, timeLimitMs = RENDER_TIME_LIMIT_MS, maxQueue = threads * 4 }: RenderPoolOptions) {
    this.timeLimitMs = timeLimitMs;
    this.pool = new Piscina({
      filename: threadModule(),
      minThreads: 1,
      maxThreads: threads,
      maxQueue,
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
      // Idle threads stay a while, so the next preview or job does not pay for loading the pipeline.
      idleTimeout: 60_000,
    });
  }

  /**
   * Renders in a thread; RenderTooComplexError when it passes a limit, RenderBusyError when the queue is
   * full. `timeLimitMs` overrides the pool's limit for this rendering.
   */
  async render(markdown: string, timeLimitMs = this.timeLimitMs): Promise<RenderedPost> {
    // The thread says when it starts, so neither the wait for a free thread nor a fresh thread's start-up
    // counts against the limit. Aborting a running task terminates its thread; the pool starts another.
    const { port1: started, port2: startedPort } = new MessageChannel();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    started.once("message", () => {
      timer = setTimeout(() => abort.abort(), timeLimitMs);
    });
    let result: RenderThreadResult;
    try {
      result = await this.pool.run({ markdown, started: startedPort }, { signal: abort.signal, transferList: [startedPort] });
    } catch (err) {
      throw translate(err, timeLimitMs);
    } finally {
      clearTimeout(timer);
      started.close();
    }
    if (!result.ok) throw new RenderTooComplexError(result.reason);
    return result.rendered;
  }

  /** Ends every thread, at once: renderings in flight are abandoned. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}

function translate(err: unknown, timeLimitMs: number): unknown {
  if (!(err instanceof Error)) return err;
  if (err.name === "AbortError") return new RenderTooComplexError(`it took longer than ${timeLimitMs / 1000} seconds to render`);
  if ("code" in err && err.code === "ERR_WORKER_OUT_OF_MEMORY") return new RenderTooComplexError("it needs too much memory to render");
  if (err.message === "Task queue is at limit") return new RenderBusyError();
  return err;
}

// One pool per process (the web for previews, the worker for jobs), kept on globalThis so Next's hot
// reload does not start another. As many threads as the worker runs jobs at once, so a job never waits
// for a thread (the wait would count against its time limit).
const globalForRender = globalThis as unknown as { inkwellRenderPool?: RenderPool };

function sharedPool(): RenderPool {
  globalForRender.inkwellRenderPool ??= new RenderPool({ threads: env.WORKER_CONCURRENCY });
  return globalForRender.inkwellRenderPool;
}

/** Renders with this process's render threads (see RenderPool.render). */
export function renderInThread(markdown: string): Promise<RenderedPost> {
  return sharedPool().render(markdown);
}

export async function closeRenderThreads(): Promise<void> {
  const pool = globalForRender.inkwellRenderPool;
  globalForRender.inkwellRenderPool = undefined;
  await pool?.close();
}
