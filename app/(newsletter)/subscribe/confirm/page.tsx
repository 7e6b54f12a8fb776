import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { peekConfirmation } from "@/server/newsletter/subscriptions";
import { param, problemMessage } from "../../_lib/answers";

export const metadata: Metadata = { title: "Confirm your subscription", referrer: "no-referrer", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The mailed link opens this page; only its button (a POST) confirms, so a link scanner changes nothing. */
export default async function ConfirmSubscriptionPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = param(params.token) ?? "";
  const writer = token && !params.problem ? await peekConfirmation(token) : null;
  return (
    <div>
      <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">Confirm your subscription</h1>
      {writer ? (
        <form method="post" action="/subscribe/confirm/submit" className="mt-6 space-y-4">
          <input type="hidden" name="token" value={token} />
          <p className="text-stone-700">Receive {writer.displayName}’s new posts by email?</p>
          <Button type="submit">Confirm my subscription to {writer.displayName}</Button>
        </form>
      ) : (
        <Alert tone="error" className="mt-6">
          {problemMessage("used-link")}
        </Alert>
      )}
    </div>
  );
}
