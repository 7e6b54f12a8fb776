"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { parseImageAddress, variantAddress, widthFor, COVER_WIDTH } from "@/server/media/variants";
import { useTRPC } from "@/trpc/react";
import { uploadImageFile, UploadError } from "./image-upload";

// The settings panel's cover upload: the file is uploaded and processed like a body image, then the cover
// address becomes its 1200-px variant (what the page header and the OG image show).

const POLL_MS = 1_000;

export function CoverUpload({ disabled, onUploaded }: { disabled?: boolean; onUploaded(url: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState("");
  const [failed, setFailed] = useState(false);

  async function upload(file: File) {
    setFailed(false);
    try {
      let image = await uploadImageFile(file, (fraction) => setStatus(`Uploading ${Math.round(fraction * 100)}%`));
      setStatus("Processing…");
      while (image.status !== "ready" && image.status !== "failed") {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const fresh = await queryClient.fetchQuery({ ...trpc.media.byId.queryOptions({ id: image.id }), staleTime: 0 });
        image = { ...fresh, createdAt: String(fresh.createdAt) };
      }
      const address = image.address ? parseImageAddress(image.address) : null;
      if (image.status === "failed" || !address) throw new UploadError(image.error ?? "The image could not be processed.");
      onUploaded(`${window.location.origin}${variantAddress(address.contentHash, widthFor(address, COVER_WIDTH), address.fallback)}`);
      setStatus("Cover image uploaded.");
    } catch (err) {
      setFailed(true);
      setStatus(err instanceof UploadError ? `Failed: ${err.message}` : "Failed: the upload could not be completed.");
    }
  }

  return (
    <div className="-mt-3 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-stone-700">
        Upload a cover image
      </label>
      <input
        id={id}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/gif,image/heic"
        disabled={disabled}
        className="text-sm text-stone-700 file:mr-2 file:rounded-md file:border file:border-stone-300 file:bg-white file:px-2 file:py-1"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      <p role="status" aria-live="polite" className={failed ? "text-sm text-red-700" : "text-sm text-stone-600"}>
        {status}
      </p>
    </div>
  );
}
