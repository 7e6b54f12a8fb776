// Validates the environment before a production process starts, so a missing or malformed variable
// stops it at once with one message naming every problem, rather than at the first request (Next's
// standalone server loads the app's modules lazily) or as a stack trace from inside a bundle.
// scripts/build-standalone.ts bundles it in front of the web server (check-env.mjs, preloaded with
// `node --import`) and of the worker (dist/worker.mjs).

export async function checkEnvOrExit(processName: string): Promise<void> {
  try {
    // server/env.js validates when it is evaluated; importing it here runs exactly that check.
    await import("../server/env.js");
  } catch (error) {
    console.error(`[inkwell ${processName}] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
