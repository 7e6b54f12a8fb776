import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { listSubscriptionsByKey } from "@/server/newsletter/subscriptions";
import { param } from "../_lib/answers";

export const metadata: Metadata = { title: "Your subscriptions", referrer: "no-referrer", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Every writer an address receives, from the link in any newsletter mail; no account needed. */
export default async function SubscriptionsPage({ searchParams }: Props) {
  const params = await searchParams;
  const key = param(params.key) ?? "";
  const found = await listSubscriptionsByKey(key);
  return (
    <div>
      <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">Your subscriptions</h1>
      {!found ? (
        <Alert tone="error" className="mt-6">
          This link is not valid. Use the “Manage your subscriptions” link from the bottom of an email.
        </Alert>
      ) : (
        <>
          <p className="mt-2 text-stone-600">Posts mailed to {found.email}.</p>
          {params.ended === "1" ? (
            <Alert tone="success" className="mt-6">
              Unsubscribed.
            </Alert>
          ) : null}
          {params.problem === "1" ? (
            <Alert tone="error" className="mt-6">
              That subscription could not be ended from this link.
            </Alert>
          ) : null}
          {found.subscriptions.length === 0 ? (
            <p className="mt-6 text-stone-700">This address receives no one’s posts.</p>
          ) : (
            <ul className="mt-6 divide-y divide-stone-200 rounded-md border border-stone-200">
              {found.subscriptions.map((s) => (
                <li key={s.id} className="flex items-center justify-between gap-4 p-4">
                  <Link href={`/@${s.writer.username}`} className="font-medium text-stone-900 underline-offset-4 hover:underline">
                    {s.writer.displayName}
                  </Link>
                  <form method="post" action="/subscriptions/unsubscribe">
                    <input type="hidden" name="key" value={key} />
                    <input type="hidden" name="subscription" value={s.id} />
                    <Button type="submit" variant="secondary" size="sm" aria-label={`Unsubscribe from ${s.writer.displayName}`}>
                      Unsubscribe
                    </Button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
