import { unsubscribeFromManagePage } from "@/server/newsletter/subscriptions";
import { seeOther } from "@/app/_lib/see-other";
import { field } from "../../_lib/answers";

/** Ends one subscription from the manage page (the signed link names the address, so no account is needed). */
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const key = field(form, "key");
  const ended = await unsubscribeFromManagePage(key, field(form, "subscription"));
  return seeOther("/subscriptions", { key, ...(ended ? { ended: "1" } : { problem: "1" }) });
}
