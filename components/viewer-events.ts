// The header asks /api/viewer who is signed in once per page load; pages that change what it shows
// (the writer's name in Settings) tell it to ask again, without a reload.
const VIEWER_CHANGED = "inkwell:viewer-changed";

export function announceViewerChange(): void {
  window.dispatchEvent(new Event(VIEWER_CHANGED));
}

/** Calls `listener` whenever a page announces a change; returns the unsubscribe. */
export function onViewerChange(listener: () => void): () => void {
  window.addEventListener(VIEWER_CHANGED, listener);
  return () => window.removeEventListener(VIEWER_CHANGED, listener);
}
