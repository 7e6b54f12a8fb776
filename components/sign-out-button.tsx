"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { goToAfterAuthChange } from "./auth-navigation";
import { Button } from "./ui/button";

/**
 * Ends the session, then loads `path` afresh. We navigate ourselves rather than follow the absolute URL
 * Auth.js answers with: that one is built from the server's idea of its host, which need not be the
 * address in the browser (e.g. localhost vs 127.0.0.1, whose cookies differ).
 */
export function useSignOut(): { signOutTo: (path: string) => Promise<void>; pending: boolean } {
  const [pending, setPending] = useState(false);
  async function signOutTo(path: string) {
    setPending(true);
    try {
      await signOut({ redirect: false });
    } catch (error) {
      setPending(false);
      throw error;
    }
    goToAfterAuthChange(path);
  }
  return { signOutTo, pending };
}

export function SignOutButton() {
  const { signOutTo, pending } = useSignOut();
  return (
    <Button variant="ghost" size="sm" pending={pending} onClick={() => void signOutTo("/").catch(() => undefined)}>
      Sign out
    </Button>
  );
}
