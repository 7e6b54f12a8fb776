"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { errorMessage } from "@/components/trpc-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { useHydrated } from "@/components/use-hydrated";
import { useTRPC } from "@/trpc/react";

/** "Download everything": the worker builds the zip and mails a link; the state is polled while it builds. */
export function ExportPanel() {
  const trpc = useTRPC();
  // A click before React takes over would do nothing: the button waits for it, as the other forms do.
  const hydrated = useHydrated();
  const exports = useQuery({
    ...trpc.portability.exports.queryOptions(),
    refetchInterval: (query) => (query.state.data?.[0]?.state === "building" ? 1000 : false),
  });
  const request = useMutation(trpc.portability.requestExport.mutationOptions({ onSuccess: () => void exports.refetch() }));
  const latest = exports.data?.[0];
  return (
    <section aria-labelledby="export-title">
      <Card>
        <CardHeader>
          <h3 id="export-title" className="text-base font-semibold text-stone-900">
            Download everything
          </h3>
          <CardDescription>
            A .zip with every post as Markdown (with its title, dates and tags), your profile, and a file Ghost can import. We email you a link when it is ready.
          </CardDescription>
        </CardHeader>
        <CardFooter className="flex-wrap gap-3">
          <Button variant="secondary" pending={request.isPending || latest?.state === "building"} disabled={!hydrated} onClick={() => request.mutate()}>
            Export my posts
          </Button>
          <p role="status" aria-live="polite" className="text-sm text-stone-800">
            {latest?.state === "building" ? "Building your archive…" : null}
            {latest?.state === "ready" ? `Ready: ${latest.posts} posts. Check your email for the download link.` : null}
            {latest?.state === "failed" ? latest.error : null}
          </p>
          {request.error ? <Alert tone="error">{errorMessage(request.error)}</Alert> : null}
        </CardFooter>
      </Card>
    </section>
  );
}
