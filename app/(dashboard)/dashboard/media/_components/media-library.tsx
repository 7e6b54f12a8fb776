"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { imageCopyRemoteSchema } from "@/lib/validations/media";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/trpc/react";

// The writer's images: each with its size and where it is used; delete (refused while a live post
// shows it, confirmed when drafts use it); copy an image from an address; used space against the quota.

const formatBytes = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

const STATUS_TEXT = { fetching: "Copying from its address…", queued: "Waiting to be processed…", processing: "Processing…", ready: "Ready", failed: "Failed" } as const;

export function MediaLibrary() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.media.list.queryOptions());
  const refetch = () => void queryClient.invalidateQueries(trpc.media.list.pathFilter());
  useSubscription(trpc.media.onStatusChange.subscriptionOptions(undefined, { onData: refetch, onStarted: refetch }));

  const [message, setMessage] = useState("");
  const [confirming, setConfirming] = useState<{ id: string; question: string } | null>(null);
  const remove = useMutation(
    trpc.media.delete.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        setMessage("Image deleted.");
        refetch();
      },
      onError: (error, input) => {
        if (error.data?.code === "PRECONDITION_FAILED") setConfirming({ id: input.id, question: error.message });
        else setMessage(error.message);
      },
    }),
  );
  const retry = useMutation(trpc.media.retry.mutationOptions({ onSettled: refetch, onError: (error) => setMessage(error.message) }));

  const percent = Math.min(100, Math.round((data.usedBytes / data.quotaBytes) * 100));
  return (
    <div className="mt-8 space-y-8">
      <section aria-labelledby="quota-title" className="max-w-xl space-y-2">
        <h2 id="quota-title" className="text-lg font-semibold text-stone-900">
          Storage
        </h2>
        <p>
          {formatBytes(data.usedBytes)} of {formatBytes(data.quotaBytes)} used
        </p>
        <progress className="h-2 w-full" max={100} value={percent} aria-label={`Storage used: ${percent}%`} />
      </section>

      <CopyFromAddress onQueued={refetch} />

      <p role="status" aria-live="polite" className="text-sm text-stone-700 empty:hidden">
        {message}
      </p>

      <section aria-labelledby="images-title">
        <h2 id="images-title" className="mb-3 text-lg font-semibold text-stone-900">
          Your images ({data.images.length})
        </h2>
        {data.images.length === 0 ? (
          <p className="text-stone-600">No images yet. Paste or drop a picture into a post, or use the Image button in the editor.</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {data.images.map((image) => {
              const name = image.sourceUrl ?? `Image of ${new Date(image.createdAt).toLocaleDateString("en")}`;
              return (
                <li key={image.id} className="space-y-2 rounded-md border border-stone-200 bg-white p-3">
                  {image.address && image.contentHash ? (
                    // eslint-disable-next-line @next/next/no-img-element -- our own processed variant, already sized
                    <img src={`/media/${image.contentHash}/320.webp`} alt="" width={image.width ?? undefined} height={image.height ?? undefined} loading="lazy" className="aspect-video w-full rounded object-cover" />
                  ) : null}
                  <p className="text-sm text-stone-800">
                    {STATUS_TEXT[image.status]}
                    {image.error ? `: ${image.error}` : ""}
                  </p>
                  <p className="text-sm text-stone-600">
                    {image.width && image.height ? `${image.width} × ${image.height} · ` : ""}
                    {formatBytes(Math.max(image.storedBytes, image.originalBytes))}
                  </p>
                  <div className="text-sm text-stone-700">
                    {image.usedIn.length === 0 ? (
                      "Not used in any post."
                    ) : (
                      <>
                        Used in{" "}
                        {image.usedIn.map((use, index) => (
                          <span key={use.postId}>
                            {index > 0 ? ", " : ""}
                            <Link href={`/editor/${use.postId}`} className="text-accent-700 underline">
                              {use.title}
                            </Link>
                            {use.live ? " (published)" : ""}
                          </span>
                        ))}
                      </>
                    )}
                  </div>
                  {image.address ? <p className="truncate font-mono text-xs text-stone-500">{image.address}</p> : null}
                  <div className="flex flex-wrap gap-2">
                    {image.status === "failed" ? (
                      <Button type="button" size="sm" variant="secondary" onClick={() => retry.mutate({ id: image.id })}>
                        Retry
                      </Button>
                    ) : null}
                    <Button type="button" size="sm" variant="danger" aria-label={`Delete ${name}`} disabled={remove.isPending} onClick={() => remove.mutate({ id: image.id, force: false })}>
                      Delete
                    </Button>
                  </div>
                  {confirming?.id === image.id ? (
                    <div role="alert" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
                      <p>{confirming.question}</p>
                      <div className="flex gap-2">
                        <Button type="button" size="sm" variant="danger" onClick={() => remove.mutate({ id: image.id, force: true })}>
                          Delete anyway
                        </Button>
                        <Button type="button" size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                          Keep it
                        </Button>
                      </div>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

function CopyFromAddress({ onQueued }: { onQueued(): void }) {
  const trpc = useTRPC();
  const id = useId();
  const [url, setUrl] = useState("");
  const [error, setError] = useState<string | null>(null);
  const copy = useMutation(
    trpc.media.copyRemote.mutationOptions({
      onSuccess: () => {
        setUrl("");
        onQueued();
      },
      onError: (err) => setError(err.message),
    }),
  );
  return (
    <form
      aria-labelledby={`${id}-title`}
      className="max-w-xl space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        const checked = imageCopyRemoteSchema.safeParse({ url });
        if (!checked.success) {
          setError(checked.error.issues[0]?.message ?? "Check the address.");
          return;
        }
        copy.mutate(checked.data);
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold text-stone-900">
        Copy an image from an address
      </h2>
      <label htmlFor={`${id}-url`} className="block text-sm font-medium text-stone-700">
        Image address
      </label>
      <div className="flex gap-2">
        <Input
          id={`${id}-url`}
          type="url"
          value={url}
          placeholder="https://…"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => {
            setUrl(event.target.value);
            setError(null);
          }}
        />
        <Button type="submit" disabled={copy.isPending}>
          Copy into my library
        </Button>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
