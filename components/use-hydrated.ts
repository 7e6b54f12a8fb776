"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and during hydration, true after. Forms keep their fields read-only and their
 * submit buttons disabled until then: text typed before React takes over would be reset by hydration,
 * and a native submit would put the password in the address bar.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
