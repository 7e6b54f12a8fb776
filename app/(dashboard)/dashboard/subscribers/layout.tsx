import type { ReactNode } from "react";
import { requireSession } from "@/app/_lib/require-session";

/** Guards before anything streams, so an anonymous visitor gets a real redirect. */
export default async function SubscribersLayout({ children }: { children: ReactNode }) {
  await requireSession("/dashboard/subscribers");
  return children;
}
