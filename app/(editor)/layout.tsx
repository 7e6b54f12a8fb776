import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";
import { auth } from "@/server/auth";

/** The writing space. Pages guard themselves and load the post (see _lib/load-own-post). */
export default async function EditorLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  return (
    <SessionProvider session={session} refetchOnWindowFocus={false}>
      {children}
    </SessionProvider>
  );
}
