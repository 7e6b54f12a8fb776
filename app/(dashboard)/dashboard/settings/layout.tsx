import type { ReactNode } from "react";
import { requireSession } from "@/app/_lib/require-session";

/** Guards before the loading skeleton streams, so an anonymous visitor gets a real redirect (307). */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  await requireSession("/dashboard/settings");
  return children;
}
