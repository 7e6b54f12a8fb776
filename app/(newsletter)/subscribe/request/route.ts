import { TRPCError } from "@trpc/server";
import { subscribeSchema } from "@/lib/validations/newsletter";
import { usernameSchema } from "@/lib/validations/user";
import { requestSubscription } from "@/server/newsletter/subscriptions";
import { limitMailRequest } from "@/server/security/rate-limit";
import { seeOther } from "@/app/_lib/see-other";
import { field } from "../../_lib/answers";

/** The subscribe form's POST (no JavaScript needed): the same answer whether or not the address was subscribed. */
export async function POST(request: Request) {
  const form = await request.formData().catch(() => null);
  const writer = field(form, "writer");
  const email = field(form, "email");
  const back = { writer: usernameSchema.safeParse(writer).data ?? "", email: email.slice(0, 254) };
  const parsed = subscribeSchema.safeParse({ writer, email });
  if (!parsed.success) {
    const badWriter = parsed.error.issues.some((issue) => issue.path[0] === "writer");
    return seeOther("/subscribe", { ...back, problem: badWriter ? "unknown-writer" : "invalid-email" });
  }
  try {
    await limitMailRequest(request.headers, parsed.data.email);
  } catch (err) {
    if (err instanceof TRPCError && err.code === "TOO_MANY_REQUESTS") return seeOther("/subscribe", { ...back, problem: "too-many" });
    throw err;
  }
  const answer = await requestSubscription(parsed.data);
  if (answer === "unknown-writer") return seeOther("/subscribe", { ...back, problem: "unknown-writer" });
  return seeOther("/subscribe", { writer: parsed.data.writer, status: "check-inbox" });
}
