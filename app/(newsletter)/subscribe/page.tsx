import type { Metadata } from "next";
import Link from "next/link";
import { SubscribeForm } from "@/components/newsletter/subscribe-form";
import { Alert } from "@/components/ui/alert";
import { usernameSchema } from "@/lib/validations/user";
import { getPublicProfileByUsername } from "@/server/users/service";
import { param, problemMessage } from "../_lib/answers";

export const metadata: Metadata = { title: "Subscribe", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Where the subscribe form lands: "check your inbox", "you are subscribed", or the form again with its problem. */
export default async function SubscribePage({ searchParams }: Props) {
  const params = await searchParams;
  const username = usernameSchema.safeParse(param(params.writer) ?? "").data;
  const writer = username ? await getPublicProfileByUsername(username) : null;
  const status = param(params.status);
  const problem = problemMessage(param(params.problem));
  return (
    <div>
      <h1 className="font-serif text-3xl font-semibold tracking-tight text-stone-900">
        {status === "confirmed" ? "You are subscribed" : status === "check-inbox" ? "Check your inbox" : "Subscribe"}
      </h1>
      {status === "check-inbox" ? (
        <Alert tone="success" className="mt-6">
          If this address can be subscribed to {writer?.displayName ?? "this writer"}, we have mailed it a link. Follow it to confirm; until then you
          receive nothing.
        </Alert>
      ) : null}
      {status === "confirmed" ? (
        <Alert tone="success" className="mt-6">
          You will receive {writer?.displayName ?? "the writer"}’s new posts by email. Every email has a link to unsubscribe.
        </Alert>
      ) : null}
      {writer && status !== "confirmed" && status !== "check-inbox" ? (
        <SubscribeForm writer={writer.username} writerName={writer.displayName} email={param(params.email) ?? ""} problem={problem} className="mt-6" />
      ) : null}
      {!writer && status !== "check-inbox" ? (
        <Alert tone="error" className="mt-6">
          {problem ?? problemMessage("unknown-writer")}
        </Alert>
      ) : null}
      {writer ? (
        <p className="mt-8 text-sm">
          <Link href={`/@${writer.username}`} className="font-medium text-accent-700 underline-offset-4 hover:underline">
            Back to {writer.displayName}’s posts
          </Link>
        </p>
      ) : null}
    </div>
  );
}
