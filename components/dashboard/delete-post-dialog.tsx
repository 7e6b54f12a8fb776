"use client";

import { Modal } from "../editor/modal";
import { Button } from "../ui/button";

// Deleting asks first, in a modal that keeps focus inside and closes with Escape (or Cancel).

export interface DeletePostDialogProps {
  /** The post to delete; null when closed. */
  post: { id: string; title: string; visibility: string } | null;
  pending: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
}

export function DeletePostDialog({ post, pending, error, onConfirm, onCancel }: DeletePostDialogProps) {
  const title = post?.title || "Untitled";
  return (
    <Modal
      open={post !== null}
      onClose={onCancel}
      busy={pending}
      size="sm"
      title={`Delete “${title}”?`}
      description={
        post?.visibility === "published"
          ? "It is taken off your public page at once, and its text and history are deleted for good."
          : "Its text and history are deleted for good. This cannot be undone."
      }
      footer={
        <>
          <Button variant="secondary" data-autofocus onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button variant="danger" pending={pending} onClick={onConfirm}>
            Delete post
          </Button>
        </>
      }
    >
      {error ? (
        <p role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : (
        <p className="text-sm text-stone-600">Copies kept in this browser for the post are removed too.</p>
      )}
    </Modal>
  );
}
