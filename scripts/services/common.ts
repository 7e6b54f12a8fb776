// What every service module shares: the repository's paths, the log callback, and the shape of a
// service that was found or started.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Development-only state (embedded database, Redis files, generated secret). Git-ignored. */
export const DATA_DIR = path.join(REPO_ROOT, ".data");

export type Log = (message: string) => void;

export interface StartedService {
  url: string;
  /** True when this process started the service and stop() shuts it down. */
  embedded: boolean;
  /** Human-readable origin for the startup banner. */
  description: string;
  stop: () => Promise<void>;
}

/** stop() of a service this process did not start. */
export const noop = async () => {};

/** A path for messages: relative inside the repository, absolute elsewhere (a temp dir). */
export function shownPath(p: string): string {
  const relative = path.relative(REPO_ROOT, p);
  return relative && !relative.startsWith("..") ? relative : p;
}
