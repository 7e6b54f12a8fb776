import type { OwnImage } from "@/server/media/images";

// Sends one file to the streaming upload route with progress (fetch has no upload progress; XHR does).
// The body is the file's bytes alone: the server types them itself and ignores the name and type.

export type UploadedImage = Omit<OwnImage, "createdAt"> & { createdAt: string };

export class UploadError extends Error {}

export function uploadImageFile(file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadedImage> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/media/uploads");
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { image?: UploadedImage; error?: { message?: string } } | null;
      if (xhr.status === 201 && body?.image) resolve(body.image);
      else reject(new UploadError(body?.error?.message ?? `The upload failed (${xhr.status}). Try again.`));
    };
    xhr.onerror = () => reject(new UploadError("The upload was interrupted: check your connection and try again."));
    xhr.onabort = () => reject(new UploadError("The upload was cancelled."));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

/** Image files among what was pasted or dropped. */
export function imageFilesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files].filter((file) => file.type.startsWith("image/") || file.type === "");
}
