"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { postScheduleSchema } from "@/lib/validations/post";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { errorMessage, serverFieldErrors } from "../trpc-errors";
import { Button } from "../ui/button";
import { FieldError } from "../ui/form-field";
import { Input } from "../ui/input";
import { LocalDateTime, toDateTimeLocalValue, writerTimeZone } from "./local-date-time";

// Publishing later: a date and time in the writer's own time zone. A scheduled post shows when it will
// go out, and can be rescheduled or turned back into a draft.

function suggestedTime(): string {
  const date = new Date(Date.now() + 60 * 60 * 1000);
  date.setMinutes(Math.ceil(date.getMinutes() / 5) * 5, 0, 0);
  return toDateTimeLocalValue(date);
}

export function ScheduleForm({ post }: { post: OwnPost }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const [min, setMin] = useState("");
  const [error, setError] = useState<string | null>(null);

  const onSuccess = (next: OwnPost) => {
    queryClient.setQueryData(trpc.posts.byId.queryKey({ id: next.id }), next);
    void queryClient.invalidateQueries(trpc.posts.list.pathFilter());
  };
  const schedule = useMutation(
    trpc.posts.schedule.mutationOptions({
      onSuccess: (next) => {
        onSuccess(next);
        setOpen(false);
      },
      onError: (failure) => setError(serverFieldErrors(failure).publishAt?.[0] ?? errorMessage(failure, "Scheduling failed. Please try again.")),
    }),
  );
  const unschedule = useMutation(trpc.posts.unschedule.mutationOptions({ onSuccess }));

  // A published post is scheduled from the review sheet ("Update at…"); here its schedule is shown.
  const isUpdate = post.visibility === "published";
  if (isUpdate && !post.scheduledAt) return null;

  const scheduled = post.visibility !== "draft" && post.scheduledAt ? post.scheduledAt : null;
  const inputId = `${id}-at`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  function openForm() {
    setValue(scheduled ? toDateTimeLocalValue(new Date(scheduled)) : suggestedTime());
    setMin(toDateTimeLocalValue(new Date()));
    setError(null);
    setOpen(true);
  }

  function submit() {
    const checked = postScheduleSchema.shape.publishAt.safeParse(value);
    if (!value || !checked.success) {
      setError(value ? (checked.error?.issues[0]?.message ?? "Choose a date and time.") : "Choose a date and time.");
      return;
    }
    setError(null);
    schedule.mutate({ id: post.id, publishAt: checked.data });
  }

  return (
    <div className="space-y-3 border-t border-stone-100 pt-3">
      {scheduled ? (
        <p className="text-sm text-stone-700">
          <span className="font-medium text-sky-800">Scheduled</span> to {isUpdate ? "update" : "publish"} on <LocalDateTime date={scheduled} withZone className="font-medium" />.
        </p>
      ) : null}
      {open ? (
        <form
          noValidate
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <label htmlFor={inputId} className="block text-sm font-medium text-stone-800">
            {isUpdate ? "Update at" : "Publish at"}
          </label>
          <Input
            id={inputId}
            type="datetime-local"
            step={1}
            value={value}
            min={min}
            aria-invalid={error ? true : undefined}
            aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(" ")}
            onChange={(event) => {
              setValue(event.target.value);
              setError(null);
            }}
          />
          <p id={hintId} className="text-xs text-stone-500">
            Your time zone: {writerTimeZone()}
          </p>
          <FieldError id={errorId} message={error} />
          <div className="flex gap-2">
            <Button type="submit" size="sm" pending={schedule.isPending}>
              {scheduled ? "Save new time" : "Schedule"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" onClick={openForm}>
            {scheduled ? "Reschedule" : "Schedule for later"}
          </Button>
          {scheduled ? (
            <Button size="sm" variant="ghost" pending={unschedule.isPending} onClick={() => unschedule.mutate({ id: post.id })}>
              {isUpdate ? "Cancel scheduled update" : "Cancel schedule"}
            </Button>
          ) : null}
        </div>
      )}
      {unschedule.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {errorMessage(unschedule.error)}
        </p>
      ) : null}
    </div>
  );
}
