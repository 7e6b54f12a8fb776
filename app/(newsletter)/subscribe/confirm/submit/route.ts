import { subscriptionTokenSchema } from "@/lib/validations/newsletter";
import { confirmSubscription } from "@/server/newsletter/subscriptions";
import { seeOther } from "@/app/_lib/see-other";
import { field } from "../../../_lib/answers";

/** Uses the confirmation link (once): the subscription becomes active. */
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const parsed = subscriptionTokenSchema.safeParse({ token: field(form, "token") });
  const writer = parsed.success ? await confirmSubscription(parsed.data.token) : null;
  if (!writer) return seeOther("/subscribe/confirm", { problem: "used-link" });
  return seeOther("/subscribe", { writer: writer.username, status: "confirmed" });
}
