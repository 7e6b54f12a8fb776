"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { errorMessage } from "../trpc-errors";
import { Button } from "../ui/button";

/**
 * The editor's "Email" section: the send of this post to the writer's subscribers, live (queued →
 * sending n of N → sent, with failures), the button to email a live or scheduled post that was published
 * without it, and a test send to the writer's own address.
 */
export function PostNewsletterPanel({ post }: { post: Pick<OwnPost, "id" | "visibility" | "processedVersion"> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const statusKey = trpc.newsletter.sendStatus.queryKey({ postId: post.id });
  const status = useQuery(trpc.newsletter.sendStatus.queryOptions({ postId: post.id }));
  const audience = useQuery(trpc.newsletter.activeCount.queryOptions());
  useSubscription(
    trpc.newsletter.onSendProgress.subscriptionOptions(undefined, {
      onStarted: () => void queryClient.invalidateQueries({ queryKey: statusKey }),
      onData: ({ data }) => {
        if (data.postId === post.id) void queryClient.invalidateQueries({ queryKey: statusKey });
      },
    }),
  );
  const send = useMutation(trpc.newsletter.send.mutationOptions({ onSuccess: (next) => queryClient.setQueryData(statusKey, next) }));
  const test = useMutation(trpc.newsletter.testSend.mutationOptions());
  const state = status.data;
  const n = audience.data ?? 0;

  return (
    <div className="space-y-3 text-sm">
      <p role="status" aria-live="polite" className="text-stone-700">
        {!state
          ? `Not emailed. You have ${n.toLocaleString("en")} ${n === 1 ? "subscriber" : "subscribers"}.`
          : state.status === "scheduled"
            ? "Emails go out when the post is published."
            : state.status === "queued"
              ? "Queued: emails go out once the post is live."
              : state.status === "sending"
                ? `Sending: ${state.sent.toLocaleString("en")} of ${state.total.toLocaleString("en")}${state.failed ? `, ${state.failed} failed` : ""}.`
                : state.status === "sent"
                  ? `Sent to ${state.sent.toLocaleString("en")} of ${state.total.toLocaleString("en")}${state.failed ? ` (${state.failed} failed)` : ""}${state.unsubscribes ? `; ${state.unsubscribes} unsubscribed` : ""}.`
                  : "Not sent: the post was unpublished before it went out."}
      </p>
      {(!state || state.status === "cancelled") && post.visibility !== "draft" ? (
        <Button variant="secondary" className="w-full" pending={send.isPending} onClick={() => send.mutate({ postId: post.id })}>
          Email {n.toLocaleString("en")} {n === 1 ? "subscriber" : "subscribers"}
        </Button>
      ) : null}
      <Button variant="ghost" className="w-full" pending={test.isPending} disabled={post.processedVersion === null} onClick={() => test.mutate({ postId: post.id })}>
        Send a test to myself
      </Button>
      {test.isSuccess ? <p className="text-stone-600">Test sent to your account’s address.</p> : null}
      {send.error || test.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(send.error ?? test.error, "That did not work. Please try again.")}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The publish sheet's choice: "Publish and email N subscribers" or "Publish only". `afterPublish` asks
 * for the send once publishing (or scheduling) succeeded; a failure shows in the editor's Email section,
 * where the writer can ask again.
 */
export function useNewsletterChoice(postId: string, enabled: boolean) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const audience = useQuery({ ...trpc.newsletter.activeCount.queryOptions(), enabled });
  const send = useMutation(trpc.newsletter.send.mutationOptions());
  const n = audience.data ?? 0;
  return {
    async afterPublish(emailSubscribers: boolean) {
      if (!enabled || !emailSubscribers || n === 0) return;
      await send.mutateAsync({ postId }).catch(() => {});
      await queryClient.invalidateQueries({ queryKey: trpc.newsletter.sendStatus.queryKey({ postId }) });
    },
    subscribers: n,
  };
}

export function NewsletterChoiceField({ name, subscribers, value, onChange }: { name: string; subscribers: number; value: boolean; onChange(value: boolean): void }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-stone-800">Email</legend>
      <label className="flex items-center gap-2 text-sm text-stone-800">
        <input type="radio" name={name} checked={value} onChange={() => onChange(true)} disabled={subscribers === 0} className="size-4 accent-accent-700" />
        Publish and email {subscribers.toLocaleString("en")} {subscribers === 1 ? "subscriber" : "subscribers"}
      </label>
      <label className="flex items-center gap-2 text-sm text-stone-800">
        <input type="radio" name={name} checked={!value || subscribers === 0} onChange={() => onChange(false)} className="size-4 accent-accent-700" />
        Publish only
      </label>
    </fieldset>
  );
}
