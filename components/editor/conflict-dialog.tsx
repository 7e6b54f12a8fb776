"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import type { Conflict } from "./draft-snapshot";
import { Modal } from "./modal";
import { fieldsOf, type PostFields } from "./post-fields";
import { TextDiff } from "./text-diff";

// A save refused because the post changed elsewhere (another tab, another device): both versions side
// by side as a diff, and the writer chooses. Nothing is overwritten until they do.

export interface ConflictDialogProps {
  open: boolean;
  conflict: Conflict;
  mine: PostFields;
  onKeepMine(): void;
  onTakeTheirs(): void;
  onClose(): void;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission: the old way, through a selected off-screen field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.append(field);
    field.select();
    const ok = document.execCommand("copy");
    field.remove();
    return ok;
  }
}

export function ConflictDialog({ open, conflict, mine, onKeepMine, onTakeTheirs, onClose }: ConflictDialogProps) {
  const theirs = fieldsOf(conflict.server);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const titleDiffers = theirs.title.trim() !== mine.title.trim();

  return (
    <Modal
      open={open}
      onClose={onClose}
      title="This post was changed elsewhere"
      description={
        <>
          While you edited version {conflict.baseVersion}, version {conflict.server.version} was saved in another tab or on another device. Nothing has been
          overwritten: choose which text to keep.
        </>
      }
      footer={
        <>
          <p role="status" className="mr-auto text-sm text-stone-600">
            {copied === "copied" ? "Your text is on the clipboard." : copied === "failed" ? "Copying failed: select the text in the editor instead." : ""}
          </p>
          <Button
            variant="ghost"
            onClick={() => void copyText(mine.title ? `# ${mine.title}\n\n${mine.markdown}` : mine.markdown).then((ok) => setCopied(ok ? "copied" : "failed"))}
          >
            Copy mine
          </Button>
          <Button variant="secondary" onClick={onTakeTheirs}>
            Take theirs
          </Button>
          <Button data-autofocus onClick={onKeepMine}>
            Keep mine
          </Button>
        </>
      }
    >
      <dl className="mb-4 grid gap-3 text-sm sm:grid-cols-2">
        <div className="rounded-md border border-red-200 bg-red-50/60 px-3 py-2">
          <dt className="font-semibold text-red-900">Theirs (version {conflict.server.version})</dt>
          <dd className="mt-0.5 text-red-900/80">“Take theirs” replaces your text with this one.</dd>
        </div>
        <div className="rounded-md border border-emerald-200 bg-emerald-50/60 px-3 py-2">
          <dt className="font-semibold text-emerald-900">Yours</dt>
          <dd className="mt-0.5 text-emerald-900/80">“Keep mine” saves your text as the newest version, on top of theirs.</dd>
        </div>
      </dl>
      {titleDiffers ? (
        <div className="mb-4">
          <h3 className="mb-1.5 text-sm font-semibold text-stone-800">Title</h3>
          <TextDiff before={theirs.title} after={mine.title} beforeLabel="theirs" afterLabel="yours" />
        </div>
      ) : null}
      <h3 className="mb-1.5 text-sm font-semibold text-stone-800">Text</h3>
      <TextDiff before={theirs.markdown} after={mine.markdown} beforeLabel="theirs" afterLabel="yours" />
    </Modal>
  );
}
