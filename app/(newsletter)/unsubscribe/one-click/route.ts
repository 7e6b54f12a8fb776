import { NextResponse } from "next/server";
import { unsubscribeByKey } from "@/server/newsletter/subscriptions";
import { seeOther } from "@/app/_lib/see-other";

/**
 * The List-Unsubscribe address of every mail. A POST unsubscribes, with no sign-in: mail providers send
 * `List-Unsubscribe=One-Click` (RFC 8058) and get a plain answer; the page's button gets the page back.
 * A GET (someone opened the address) changes nothing and shows the page with its button.
 */
export async function POST(request: Request) {
  const key = new URL(request.url).searchParams.get("key") ?? "";
  const form = await request.formData().catch(() => null);
  const fromPage = form?.get("from") === "page";
  const done = await unsubscribeByKey(key);
  if (fromPage) return seeOther("/unsubscribe", { key, done: done ? "1" : "0" });
  if (!done) return new NextResponse("This unsubscribe link is not valid.", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new NextResponse("Unsubscribed.", { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export function GET(request: Request) {
  return seeOther("/unsubscribe", { key: new URL(request.url).searchParams.get("key") ?? "" });
}
