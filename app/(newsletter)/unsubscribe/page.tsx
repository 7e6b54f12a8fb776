import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describeUnsubscribeKey } from "@/server/newsletter/subscriptions";
import { param } from "../_lib/answers";

export const metadata: Metadata = { title: "Unsubscribe", referrer: "no-referrer", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UnsubscribePage({ searchParams }: Props) {
  const params = await searchParams;
  const key = param(params.key) ?? "";
  const described = await describeUnsubscribeKey(key);
  const name = described?.writer?.displayName ?? "this writer";
  return (
    <div>
      <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">Unsubscribe</h1>
      {!described ? (
        <Alert tone="error" className="mt-6">
          This unsubscribe link is not valid. Use the link from the bottom of the email.
        </Alert>
      ) : params.done === "1" || !described.active ? (
        <Alert tone="success" className="mt-6">
          You no longer receive {name}’s posts by email.
        </Alert>
      ) : (
        <form method="post" action={`/unsubscribe/one-click?${new URLSearchParams({ key })}`} className="mt-6 space-y-4">
          <input type="hidden" name="from" value="page" />
          <p className="text-stone-700">Stop receiving {name}’s posts by email?</p>
          <Button type="submit">Unsubscribe from {name}</Button>
        </form>
      )}
      {described?.writer ? (
        <p className="mt-8 text-sm">
          <Link href={`/@${described.writer.username}`} className="font-medium text-accent-700 underline-offset-4 hover:underline">
            {described.writer.displayName}’s posts
          </Link>
        </p>
      ) : null}
    </div>
  );
}
