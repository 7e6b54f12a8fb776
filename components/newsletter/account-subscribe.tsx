"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

/** One click for a signed-in reader (their account's address is already confirmed); an empty slot otherwise. */
export function AccountSubscribe({ writer, writerName }: { writer: string; writerName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.newsletter.amISubscribed.queryOptions({ writer }), retry: false });
  const [justSubscribed, setJustSubscribed] = useState(false);
  const confirmation = useRef<HTMLParagraphElement>(null);
  const subscribe = useMutation(
    trpc.newsletter.subscribeMe.mutationOptions({
      onSuccess: () => {
        queryClient.setQueryData(trpc.newsletter.amISubscribed.queryKey({ writer }), true);
        setJustSubscribed(true);
      },
    }),
  );
  // The pressed button gives way to the confirmation: focus follows it, or a keyboard or screen reader
  // user would be dropped at the top of the page.
  useEffect(() => {
    if (justSubscribed && status.data) confirmation.current?.focus();
  }, [justSubscribed, status.data]);
  // The button arrives after load, for signed-in readers only: its slot is the height of a small button (as on touch screens) either way, so
  // nothing below it moves (the header does the same with the viewer's links). Not a live region: the
  // button's arrival is no news; the confirmation is read because it takes the focus, an error as an alert.
  return (
    <div className="mt-3 min-h-8 touch:min-h-11">
      {status.data === undefined ? null : status.data ? (
        <p ref={confirmation} tabIndex={-1} className="text-sm text-emerald-800">
          You receive {writerName}’s posts by email.
        </p>
      ) : (
        <Button type="button" variant="secondary" size="sm" onClick={() => subscribe.mutate({ writer })} pending={subscribe.isPending}>
          Subscribe with my account’s address
        </Button>
      )}
      {subscribe.error ? <p role="alert" className="mt-1 text-sm text-red-700">{subscribe.error.message}</p> : null}
    </div>
  );
}
