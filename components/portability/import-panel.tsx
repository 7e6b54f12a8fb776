"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorMessage } from "@/components/trpc-errors";
import { uploadTooLargeMessage } from "@/lib/validations/portability";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@/components/ui/card";
import { useHydrated } from "@/components/use-hydrated";
import { useTRPC } from "@/trpc/react";

// Import: upload an export file, read the dry-run summary, then import; progress is polled while the
// worker reads or imports (a second a step), and announced through a live region.

const SOURCE_NAMES = { ghost: "Ghost", wordpress: "WordPress", medium: "Medium", substack: "Substack" } as const;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/** `maxBytes`: the server's upload limit, checked here first so a file over it is not sent at all. */
export function ImportPanel({ maxBytes }: { maxBytes: number }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const fileInput = useRef<HTMLInputElement>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const status = useQuery({
    ...trpc.portability.importStatus.queryOptions({ id: importId ?? "00000000-0000-4000-8000-000000000000" }),
    enabled: importId !== null,
    refetchInterval: (query) => (query.state.data && ["analysing", "importing"].includes(query.state.data.state) ? 1000 : false),
  });
  const start = useMutation(trpc.portability.startImport.mutationOptions({ onSuccess: () => void status.refetch() }));
  const current = importId ? status.data : undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    // A new file: what was said about the previous one (its summary, its refusal) no longer applies.
    setImportId(null);
    setUploadError(null);
    if (!file) return setUploadError("Choose the export file to import.");
    if (file.size > maxBytes) return setUploadError(uploadTooLargeMessage(maxBytes));
    setUploading(true);
    try {
      const response = await fetch("/api/portability/imports", { method: "POST", body: file, headers: { "x-file-name": encodeURIComponent(file.name) } });
      const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
      if (!response.ok || !body.id) throw new Error(body.error?.message ?? "The upload failed. Please try again.");
      setImportId(body.id);
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : "The upload failed. Please try again.");
    } finally {
      setUploading(false);
    }
  }

  const summary = current?.summary;
  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="import-title">
      <Card>
        <CardHeader>
          <h3 id="import-title" className="text-base font-semibold text-stone-900">
            Import posts
          </h3>
          <CardDescription>
            From a Ghost export (.json), a WordPress export (.xml), or a Medium or Substack export (.zip). You see what will be imported before anything is.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {uploadError ? <Alert tone="error">{uploadError}</Alert> : null}
          <div className="space-y-1">
            <label htmlFor="import-file" className="block text-sm font-medium text-stone-800">
              Export file
            </label>
            <input id="import-file" ref={fileInput} type="file" accept=".json,.xml,.zip,application/json,application/xml,text/xml,application/zip" className="block text-sm" disabled={!hydrated} />
          </div>
          <div role="status" aria-live="polite" className="space-y-2 text-sm text-stone-800">
            {current?.state === "analysing" ? <p>Reading {current.fileName}…</p> : null}
            {current?.state === "failed" ? <Alert tone="error">{current.error}</Alert> : null}
            {summary && current?.state === "analysed" ? (
              <p>
                {current.source ? `${SOURCE_NAMES[current.source]} export: ` : ""}
                {plural(summary.posts, "post")} ({plural(summary.published, "published post")}, {plural(summary.drafts, "draft")}, {summary.scheduled} scheduled), {summary.skipped} skipped
                {summary.postsWithDroppedEmbeds > 0 ? `, ${plural(summary.postsWithDroppedEmbeds, "post")} with embeds left out` : ""}
                {summary.alreadyImported > 0 ? `; ${summary.alreadyImported} already imported (they will not be copied again)` : ""}.
              </p>
            ) : null}
            {summary && (current?.state === "importing" || current?.state === "done") ? (
              <>
                <label htmlFor="import-progress" className="block">
                  {current.state === "done" ? `Done: ${plural(current.imported, "post")} imported.` : `Importing: ${current.processed} of ${summary.posts}…`}
                </label>
                <progress id="import-progress" max={summary.posts} value={current.processed} className="w-full" />
              </>
            ) : null}
            {summary?.notes.length ? (
              <ul className="list-disc pl-5 text-stone-600">
                {summary.notes.slice(0, 10).map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            ) : null}
            {start.error ? <Alert tone="error">{errorMessage(start.error)}</Alert> : null}
          </div>
        </CardContent>
        <CardFooter className="flex-wrap gap-3">
          <Button type="submit" variant="secondary" pending={uploading} disabled={!hydrated}>
            Upload and check
          </Button>
          {current?.state === "analysed" ? (
            <Button variant="primary" pending={start.isPending} onClick={() => importId && start.mutate({ id: importId })}>
              Import {plural(summary?.posts ?? 0, "post")}
            </Button>
          ) : null}
        </CardFooter>
      </Card>
    </form>
  );
}
