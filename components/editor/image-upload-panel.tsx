"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useId, useState } from "react";
import { imageAltSchema } from "@/lib/validations/media";
import { useTRPC } from "@/trpc/react";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { uploadImageFile, UploadError, type UploadedImage } from "./image-upload";

// Uploads started in the editor (paste, drop, the toolbar's file picker): each shows its upload progress,
// then the worker's processing status live (media.onStatusChange), then asks for alt text before its
// Markdown goes into the post. A failure says why; the writer's text is never touched until Insert.

type Phase =
  | { phase: "uploading"; progress: number }
  | { phase: "processing"; image: UploadedImage }
  | { phase: "ready"; image: UploadedImage }
  | { phase: "failed"; message: string; image?: UploadedImage };

interface Upload {
  key: string;
  name: string;
  state: Phase;
}

export interface ImageUploads {
  uploads: Upload[];
  start(files: File[]): void;
  dismiss(key: string): void;
  retry(key: string): void;
}

/** The editor's uploads and their live status. */
export function useImageUploads(): ImageUploads {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const retryImage = useMutation(trpc.media.retry.mutationOptions());
  const update = useCallback((key: string, state: Phase) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, state } : u))), []);

  const settle = useCallback(
    (key: string, image: UploadedImage) => {
      if (image.status === "ready") update(key, { phase: "ready", image });
      else if (image.status === "failed") update(key, { phase: "failed", message: image.error ?? "The image could not be processed.", image });
      else update(key, { phase: "processing", image });
    },
    [update],
  );

  // Status events name the image; the row is fetched for its address and size.
  const refresh = useCallback(
    async (imageId: string) => {
      const target = uploads.find((u) => "image" in u.state && u.state.image?.id === imageId);
      if (!target) return;
      const image = await queryClient.fetchQuery({ ...trpc.media.byId.queryOptions({ id: imageId }), staleTime: 0 });
      settle(target.key, { ...image, createdAt: String(image.createdAt) });
    },
    [queryClient, settle, trpc, uploads],
  );

  const waiting = uploads.some((u) => u.state.phase === "processing");
  useSubscription(
    trpc.media.onStatusChange.subscriptionOptions(undefined, {
      enabled: waiting,
      onData: ({ data }) => void refresh(data.imageId).catch(() => {}),
      // (Re)connected: an event may have been missed meanwhile.
      onStarted: () => {
        for (const u of uploads) if (u.state.phase === "processing") void refresh(u.state.image.id).catch(() => {});
      },
    }),
  );

  const run = useCallback(
    (key: string, file: File) => {
      update(key, { phase: "uploading", progress: 0 });
      uploadImageFile(file, (progress) => update(key, { phase: "uploading", progress })).then(
        (image) => settle(key, image),
        (err: unknown) => update(key, { phase: "failed", message: err instanceof UploadError ? err.message : "The upload failed. Try again." }),
      );
    },
    [settle, update],
  );

  const [files] = useState(() => new Map<string, File>());
  const start = useCallback(
    (picked: File[]) => {
      for (const file of picked) {
        const key = crypto.randomUUID();
        files.set(key, file);
        setUploads((all) => [...all, { key, name: file.name || "Pasted image", state: { phase: "uploading", progress: 0 } }]);
        run(key, file);
      }
    },
    [files, run],
  );

  const retry = useCallback(
    (key: string) => {
      const upload = uploads.find((u) => u.key === key);
      if (upload?.state.phase !== "failed") return;
      const image = upload.state.image;
      if (image) {
        update(key, { phase: "processing", image });
        retryImage
          .mutateAsync({ id: image.id })
          .then((fresh) => settle(key, { ...fresh, createdAt: String(fresh.createdAt) }))
          .catch(() => update(key, { phase: "failed", message: "The retry could not be started. Try again.", image }));
        return;
      }
      const file = files.get(key);
      if (file) run(key, file);
    },
    [files, retryImage, run, settle, update, uploads],
  );

  const dismiss = useCallback(
    (key: string) => {
      files.delete(key);
      setUploads((all) => all.filter((u) => u.key !== key));
    },
    [files],
  );

  return { uploads, start, dismiss, retry };
}

/** The list of uploads under the toolbar, with the alt-text prompt of each processed image. */
export function ImageUploadPanel({ uploads, onInsert }: { uploads: ImageUploads; onInsert(address: string, alt: string): void }) {
  if (uploads.uploads.length === 0) return null;
  return (
    <ul aria-label="Image uploads" className="divide-y divide-stone-200 border-b border-stone-200 bg-stone-50">
      {uploads.uploads.map((upload) => (
        <li key={upload.key} className="px-3 py-2 text-sm">
          <UploadRow upload={upload} onDismiss={() => uploads.dismiss(upload.key)} onRetry={() => uploads.retry(upload.key)} onInsert={(address, alt) => {
            onInsert(address, alt);
            uploads.dismiss(upload.key);
          }} />
        </li>
      ))}
    </ul>
  );
}

function UploadRow({ upload, onDismiss, onRetry, onInsert }: { upload: Upload; onDismiss(): void; onRetry(): void; onInsert(address: string, alt: string): void }) {
  const id = useId();
  const { state } = upload;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <span className="min-w-0 flex-1 truncate font-medium text-stone-800">{upload.name}</span>
        <span role="status" aria-live="polite" className="text-stone-600">
          {state.phase === "uploading" ? `Uploading ${Math.round(state.progress * 100)}%` : null}
          {state.phase === "processing" ? "Processing…" : null}
          {state.phase === "ready" ? "Ready: describe it, then insert it." : null}
          {state.phase === "failed" ? <span className="text-red-700">Failed: {state.message}</span> : null}
        </span>
        {state.phase === "failed" ? (
          <Button type="button" size="sm" variant="secondary" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
        {state.phase !== "ready" ? (
          <Button type="button" size="sm" variant="ghost" onClick={onDismiss} aria-label={`Dismiss ${upload.name}`}>
            Dismiss
          </Button>
        ) : null}
      </div>
      {state.phase === "uploading" ? (
        <progress className="h-1.5 w-full" max={1} value={state.progress} aria-label={`Upload of ${upload.name}`} />
      ) : null}
      {state.phase === "ready" && state.image.address ? <AltPrompt id={id} address={state.image.address} onInsert={onInsert} onCancel={onDismiss} /> : null}
    </div>
  );
}

function AltPrompt({ id, address, onInsert, onCancel }: { id: string; address: string; onInsert(address: string, alt: string): void; onCancel(): void }) {
  const [alt, setAlt] = useState("");
  const [decorative, setDecorative] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const insert = () => {
    const checked = imageAltSchema.safeParse({ alt, decorative });
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Check the alt text.");
      return;
    }
    onInsert(address, checked.data.decorative ? "" : checked.data.alt);
  };
  return (
    <div
      role="group"
      aria-label="Describe the image"
      className="grid gap-2 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end"
      onKeyDown={(event) => {
        if (event.key === "Enter" && event.target instanceof HTMLInputElement && event.target.type === "text") {
          event.preventDefault();
          insert();
        }
      }}
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-alt`} className="block text-xs font-medium text-stone-700">
          Alt text
        </label>
        <Input
          id={`${id}-alt`}
          autoFocus
          value={alt}
          disabled={decorative}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => {
            setAlt(event.target.value);
            setError(null);
          }}
        />
        {error ? (
          <p id={`${id}-error`} className="text-xs font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <label className="flex items-center gap-2 pb-2 text-stone-700">
        <input type="checkbox" checked={decorative} onChange={(event) => { setDecorative(event.target.checked); setError(null); }} />
        Decorative image
      </label>
      <Button type="button" size="sm" onClick={insert}>
        Insert image
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
