import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";
import { auth } from "@/server/auth";
import { DashboardShell } from "./_components/dashboard-shell";

/**
 * The writer's dashboard. Pages guard themselves (requireSession); the session given here lets client
 * components call next-auth's `update()` (the profile form renames the writer in the header).
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  return (
    <SessionProvider session={session} refetchOnWindowFocus={false}>
      <DashboardShell>{children}</DashboardShell>
    </SessionProvider>
  );
}
