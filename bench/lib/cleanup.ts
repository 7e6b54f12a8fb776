// Everything the bench starts registers how to undo it here; run.ts undoes it all in reverse order
// in a finally block, and on SIGINT/SIGTERM. (Child processes are also killed if the process exits
// some other way: scripts/services/processes.ts.)

type Disposer = { name: string; dispose: () => Promise<void> };

const stack: Disposer[] = [];

export function onCleanup(name: string, dispose: () => Promise<void>): () => void {
  const entry = { name, dispose };
  stack.push(entry);
  return () => {
    const i = stack.indexOf(entry);
    if (i >= 0) stack.splice(i, 1);
  };
}

/** Runs `fn`, then its disposer, whatever happens; the disposer is also run by cleanUpAll on a signal. */
export async function using<T, R>(name: string, acquire: () => Promise<T>, dispose: (v: T) => Promise<void>, fn: (v: T) => Promise<R>): Promise<R> {
  const value = await acquire();
  const forget = onCleanup(name, () => dispose(value));
  try {
    return await fn(value);
  } finally {
    forget();
    await dispose(value);
  }
}

export async function cleanUpAll(log: (m: string) => void): Promise<void> {
  while (stack.length > 0) {
    const entry = stack.pop()!;
    try {
      await withTimeout(entry.dispose(), 20_000, entry.name);
    } catch (error) {
      log(`cleanup of ${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
