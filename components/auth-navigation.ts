/**
 * Loads `path` afresh after signing in or out. A full page load, not a client navigation: the header,
 * the router's prefetched pages and every cached query then all belong to the new session (or to
 * nobody), with no chance of showing the previous writer's data.
 * (A deliberate exception to "navigate with the router".)
 */
export function goToAfterAuthChange(path: string): void {
  window.location.assign(path);
}
