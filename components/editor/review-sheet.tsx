"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { postScheduleSchema } from "@/lib/validations/post";
import type { OwnPost } from "@/trpc/types";
import { useTRPC } from "@/trpc/react";
import { NewsletterChoiceField, useNewsletterChoice } from "../newsletter/post-newsletter-panel";
import { unpublishedChanges } from "../post-state";
import { errorMessage } from "../trpc-errors";
import { Button } from "../ui/button";
import { FieldError } from "../ui/form-field";
import { Input } from "../ui/input";
import { toDateTimeLocalValue, writerTimeZone } from "./local-date-time";
import { Modal } from "./modal";

// The final look before readers are affected: Publish, Update (a live post's working copy goes live) and
// Unpublish each open this sheet. It shows the public address, the link preview as it will appear when
// the post is shared (title, excerpt, cover), the tags, and when it happens (now, or at a set time);
// for Unpublish, what readers will get instead. Nothing changes until the writer confirms.

export type ReviewAction = "publish" | "update" | "unpublish";

export interface ReviewSheetProps {
  action: ReviewAction | null;
  post: OwnPost;
  username: string;
  onClose(): void;
  /** The server's answer; `when` says whether it happened now or was scheduled. */
  onDone(next: OwnPost, when: "now" | "scheduled"): void;
}

const titles: Record<ReviewAction, string> = { publish: "Publish", update: "Update", unpublish: "Unpublish" };

function suggestedTime(): string {
  const date = new Date(Date.now() + 60 * 60 * 1000);
  date.setMinutes(Math.ceil(date.getMinutes() / 5) * 5, 0, 0);
  return toDateTimeLocalValue(date);
}

export function ReviewSheet({ action, post, username, onClose, onDone }: ReviewSheetProps) {
  const trpc = useTRPC();
  const id = useId();
  const [when, setWhen] = useState<"now" | "later">("now");
  const [at, setAt] = useState(suggestedTime);
  const [atError, setAtError] = useState<string | null>(null);
  // A first publication may also email the writer's subscribers (now, or when the schedule publishes it).
  const [emailSubscribers, setEmailSubscribers] = useState(true);
  const newsletter = useNewsletterChoice(post.id, action === "publish");
  const publish = useMutation(trpc.posts.publish.mutationOptions({ onSuccess: async (next) => { await newsletter.afterPublish(emailSubscribers); onDone(next, "now"); } }));
  const schedule = useMutation(trpc.posts.schedule.mutationOptions({ onSuccess: async (next) => { await newsletter.afterPublish(emailSubscribers); onDone(next, "scheduled"); } }));
  const unpublish = useMutation(trpc.posts.unpublish.mutationOptions({ onSuccess: (next) => onDone(next, "now") }));
  const running = publish.isPending || schedule.isPending || unpublish.isPending;
  const failure = publish.error ?? schedule.error ?? unpublish.error;

  function close() {
    publish.reset();
    schedule.reset();
    unpublish.reset();
    setWhen("now");
    setAtError(null);
    onClose();
  }

  function confirm() {
    if (action === "unpublish") return unpublish.mutate({ id: post.id });
    if (when === "now") return publish.mutate({ id: post.id, version: post.version });
    const checked = postScheduleSchema.shape.publishAt.safeParse(at);
    if (!at || !checked.success) {
      setAtError(at ? (checked.error?.issues[0]?.message ?? "Choose a date and time.") : "Choose a date and time.");
      return;
    }
    setAtError(null);
    schedule.mutate({ id: post.id, publishAt: checked.data });
  }

  const title = post.title || "Untitled";
  const slug = action === "unpublish" ? (post.publishedSlug ?? post.slug) : post.slug;
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const address = `${origin}/@${username}/${slug}`;
  const verb = action === "update" ? "update" : "publish";
  const changes = unpublishedChanges(post);
  const confirmLabel =
    action === "unpublish" ? "Unpublish" : when === "later" ? (action === "update" ? "Schedule update" : "Schedule") : action === "update" ? "Update now" : "Publish now";

  return (
    <Modal
      open={action !== null}
      onClose={close}
      busy={running}
      size="lg"
      title={action ? `${titles[action]} “${title}”` : ""}
      description={
        action === "unpublish"
          ? "Readers lose access at once. Your text stays here, and you can publish it again."
          : action === "update"
            ? `Your ${changes === 1 ? "unpublished change goes" : `${changes} unpublished changes go`} live: readers see the post below.`
            : "Check how readers will find it. Nothing is public until you confirm."
      }
      footer={
        <>
          {/* Focus starts on the safe choice for Unpublish, on the confirmation otherwise. */}
          <Button variant="ghost" onClick={close} disabled={running} data-autofocus={action === "unpublish" || undefined}>
            Cancel
          </Button>
          <Button variant={action === "unpublish" ? "danger" : "primary"} pending={running} onClick={confirm} data-autofocus={action !== "unpublish" || undefined}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-5">
        <section aria-labelledby={`${id}-address`}>
          <h3 id={`${id}-address`} className="text-sm font-medium text-stone-800">
            Public address
          </h3>
          <p className="mt-1">
            <code className="rounded bg-stone-100 px-1.5 py-0.5 font-mono text-sm break-all text-stone-800">{address}</code>
          </p>
        </section>

        {action === "unpublish" ? (
          <section aria-labelledby={`${id}-instead`} className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950">
            <h3 id={`${id}-instead`} className="font-medium">
              What readers will see instead
            </h3>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              <li>This address answers “Page not found”, and so do its earlier addresses.</li>
              <li>The post leaves your author page, the home page, its tag pages, the feeds, search, the public API and the sitemap.</li>
              {changes > 0 ? <li>Your unpublished changes stay here in the editor.</li> : null}
            </ul>
          </section>
        ) : (
          <>
            <section aria-labelledby={`${id}-card`}>
              <h3 id={`${id}-card`} className="text-sm font-medium text-stone-800">
                Link preview, as it appears when shared
              </h3>
              <LinkPreviewCard post={post} host={origin ? new URL(origin).host : ""} />
            </section>

            <section aria-labelledby={`${id}-tags`}>
              <h3 id={`${id}-tags`} className="text-sm font-medium text-stone-800">
                Tags
              </h3>
              {post.tags.length > 0 ? (
                <ul className="mt-1 flex flex-wrap gap-1.5 text-sm">
                  {post.tags.map((tag) => (
                    <li key={tag} className="rounded-full bg-stone-100 px-2.5 py-0.5 text-stone-700">
                      #{tag}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-stone-500">No tags: the post appears on no tag page.</p>
              )}
            </section>

            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-stone-800">When to {verb}</legend>
              <label className="flex items-center gap-2 text-sm text-stone-800">
                <input type="radio" name={`${id}-when`} checked={when === "now"} onChange={() => setWhen("now")} className="size-4 accent-accent-700" />
                Now
              </label>
              <label className="flex items-center gap-2 text-sm text-stone-800">
                <input type="radio" name={`${id}-when`} checked={when === "later"} onChange={() => setWhen("later")} className="size-4 accent-accent-700" />
                At a set time
              </label>
              {when === "later" ? (
                <div className="space-y-1.5 pl-6">
                  <label htmlFor={`${id}-at`} className="block text-sm font-medium text-stone-800">
                    {action === "update" ? "Update at" : "Publish at"}
                  </label>
                  <Input
                    id={`${id}-at`}
                    type="datetime-local"
                    step={1}
                    value={at}
                    aria-invalid={atError ? true : undefined}
                    aria-describedby={[atError ? `${id}-at-error` : null, `${id}-at-hint`].filter(Boolean).join(" ")}
                    onChange={(event) => {
                      setAt(event.target.value);
                      setAtError(null);
                    }}
                  />
                  <p id={`${id}-at-hint`} className="text-xs text-stone-500">
                    Your time zone: {writerTimeZone()}.{action === "update" ? " The working copy as it is then goes live." : ""}
                  </p>
                  <FieldError id={`${id}-at-error`} message={atError} />
                </div>
              ) : null}
            </fieldset>
          </>
        )}

        {action === "publish" ? <NewsletterChoiceField name={`${id}-email`} subscribers={newsletter.subscribers} value={emailSubscribers} onChange={setEmailSubscribers} /> : null}

        {failure ? (
          <p role="alert" className="text-sm font-medium text-red-700">
            {errorMessage(failure, `${action ? titles[action] : "It"} failed. Please try again.`)}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}

/** The card a shared link shows (Open Graph): cover, site, title and excerpt, as readers' apps draw it. */
function LinkPreviewCard({ post, host }: { post: OwnPost; host: string }) {
  const excerpt = post.excerptOverride ?? post.excerpt ?? "";
  return (
    <figure aria-label="Link preview" className="mt-2 max-w-md overflow-hidden rounded-lg border border-stone-300 bg-white shadow-xs">
      {post.coverImageUrl ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={post.coverImageUrl}
          alt={post.coverImageAlt ?? ""}
          className="aspect-[1.91/1] w-full bg-stone-100 object-cover"
          referrerPolicy="no-referrer"
        />
      ) : null}
      <figcaption className="space-y-1 px-4 py-3">
        <span className="block text-xs tracking-wide text-stone-500 uppercase">{host}</span>
        <span className="block font-semibold text-stone-900">{post.title || "Untitled"}</span>
        <span className="line-clamp-2 block text-sm text-stone-600">{excerpt || "No excerpt yet: it is made from the opening lines once the post is processed."}</span>
      </figcaption>
    </figure>
  );
}
