import { postCreateSchema, type PostUpdateInput } from "@/lib/validations/post";
import type { OwnPost, SavedPost } from "@/trpc/types";
import type { FieldErrors } from "../trpc-errors";
import { isDirty, type DraftSnapshot, type DraftStoreOptions } from "./draft-snapshot";
import { readLocalDraft, removeLocalDrafts, writeLocalDraft } from "./local-drafts";
import { changedFields, checkField, emptyFields, fieldKeys, fieldsOf, mergeFields, normalizedField, sameField, sameFields, type FieldKey, type PostFields } from "./post-fields";
import { classifySaveError } from "./save-errors";

// The editor's draft and its way to the server, outside React: what is on screen, what the server has
// (and at which version), autosave about a second after typing stops (and at least every ten seconds
// while typing goes on), retries while offline, a local
// copy of every keystroke until the server confirms it, and conflicts that never overwrite silently.
// React reads it with useSyncExternalStore. Its state is draft-snapshot.ts; what a failed save means,
// save-errors.ts.

export const AUTOSAVE_DELAY_MS = 1_000;
/** The longest an edit waits for a pause in typing: steady typing still reaches the server this often. */
export const AUTOSAVE_MAX_WAIT_MS = 10_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

type SaveTrigger = "auto" | "manual" | "retry";

export class DraftStore {
  private snapshot: DraftSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly options: DraftStoreOptions;
  private autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest edit not yet sent was made (ms since the epoch); null when every edit was sent. */
  private unsentSince: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private inFlight: Promise<void> | null = null;
  private again = false;
  /** Values the server refused for a field (e.g. a slug in use): not sent again until changed. */
  private rejected: Partial<Record<FieldKey, { value: string; message: string }>> = {};
  private started = false;
  /** False once the editor is gone: nothing new is scheduled (the local copy stays for next time). */
  private active = false;

  constructor(options: DraftStoreOptions) {
    this.options = options;
    const post = options.initialPost;
    const fields = post ? fieldsOf(post) : emptyFields;
    this.snapshot = {
      postId: post?.id ?? null,
      base: post ? { fields, version: post.version } : null,
      draft: fields,
      docRevision: 0,
      dirty: false,
      save: { kind: "idle" },
      savedAt: null,
      fieldErrors: {},
      conflict: null,
      conflictDialogOpen: false,
      localOffer: null,
    };
  }

  // React's useSyncExternalStore contract.
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = (): DraftSnapshot => this.snapshot;

  private set(patch: Partial<DraftSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    next.dirty = isDirty(next.postId, next.draft, next.base);
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  /** Starts listening to the network and looks for a local copy to offer. Call once mounted. */
  start(): () => void {
    this.active = true;
    if (!this.started) {
      this.started = true;
      this.findLocalCopy();
    }
    const onOnline = () => {
      const { save } = this.snapshot;
      if (save.kind === "offline" || (save.kind === "failed" && save.retryAt !== null)) void this.save("retry");
    };
    const onOffline = () => {
      if (this.snapshot.dirty && this.snapshot.save.kind !== "conflict") this.set({ save: { kind: "offline", retryAt: Date.now() + AUTOSAVE_DELAY_MS } });
    };
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    return () => {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      this.active = false;
      this.clearTimers();
    };
  }

  private clearTimers(): void {
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.autosaveTimer = null;
    this.retryTimer = null;
  }

  private findLocalCopy(): void {
    const { postId, base, draft } = this.snapshot;
    const local = readLocalDraft(postId);
    if (!local) return;
    const current = base?.fields ?? emptyFields;
    if (sameFields(local.fields, current) || sameFields(local.fields, draft)) {
      removeLocalDrafts(postId);
      return;
    }
    this.set({ localOffer: local });
  }

  /** Writes the draft to this browser, or forgets the copy once the server has it all. */
  private keepLocally(): void {
    const { postId, base, draft, dirty } = this.snapshot;
    if (!dirty) {
      removeLocalDrafts(postId);
      return;
    }
    writeLocalDraft({ postId, baseVersion: base?.version ?? 0, fields: draft, savedAt: Date.now() });
  }

  /** The writer typed: keep it locally at once, save it after a pause. */
  edit(patch: Partial<PostFields>): void {
    const draft = { ...this.snapshot.draft, ...patch };
    const fieldErrors = { ...this.snapshot.fieldErrors };
    for (const key of Object.keys(patch) as FieldKey[]) {
      if (!sameField(draft, this.snapshot.draft, key)) delete fieldErrors[key];
    }
    const { save } = this.snapshot;
    const waiting = save.kind === "saving" || save.kind === "conflict" || save.kind === "offline";
    const dirty = isDirty(this.snapshot.postId, draft, this.snapshot.base);
    this.set({ draft, fieldErrors, save: waiting ? save : dirty ? { kind: "pending" } : { kind: "idle" } });
    this.unsentSince ??= Date.now();
    this.keepLocally();
    this.scheduleAutosave();
  }

  /** Saves after `delay` without edits, but never later than AUTOSAVE_MAX_WAIT_MS after the oldest unsent edit. */
  private scheduleAutosave(delay = AUTOSAVE_DELAY_MS): void {
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    this.autosaveTimer = null;
    if (!this.active || this.snapshot.conflict || !this.snapshot.dirty) return;
    if (this.unsentSince !== null) delay = Math.min(delay, Math.max(0, this.unsentSince + AUTOSAVE_MAX_WAIT_MS - Date.now()));
    this.autosaveTimer = setTimeout(() => {
      this.autosaveTimer = null;
      void this.save("auto");
    }, delay);
  }

  private scheduleRetry(): number {
    const delay = RETRY_DELAYS_MS[Math.min(this.attempts, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
    this.attempts += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (!this.active) return Date.now() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.save("retry");
    }, delay);
    return Date.now() + delay;
  }

  /** Saves now (Ctrl+S, the Save button); resolves when that attempt is done. */
  saveNow(): Promise<void> {
    return this.save("manual");
  }

  /** Saves what is unsaved; true when the server then has everything and no conflict is open. */
  async flush(): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      if (this.inFlight) await this.inFlight;
      if (this.snapshot.conflict) return false;
      if (!this.snapshot.dirty) return true;
      await this.save("manual");
    }
    return !this.snapshot.dirty && !this.snapshot.conflict;
  }

  private async save(trigger: SaveTrigger): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    if (this.snapshot.conflict) return;
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.autosaveTimer = null;
    this.retryTimer = null;
    // This attempt sends every edit made so far; the max-wait clock restarts with the next one.
    this.unsentSince = null;
    const attempt = this.snapshot.postId ? this.saveEdit() : this.saveNew(trigger);
    this.inFlight = attempt.finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        if (this.snapshot.dirty && !this.snapshot.conflict && this.snapshot.save.kind !== "offline" && this.snapshot.save.kind !== "failed") {
          this.scheduleAutosave(0);
        }
      }
    });
    return this.inFlight;
  }

  private async saveNew(trigger: SaveTrigger): Promise<void> {
    const { draft } = this.snapshot;
    if (!this.snapshot.dirty && trigger !== "manual") {
      this.set({ save: { kind: "idle" } });
      return;
    }
    const checked = postCreateSchema.safeParse({ title: draft.title, markdown: draft.markdown });
    if (!checked.success) {
      // While typing, a missing title is not an error yet: the text is kept here until there is one.
      const errors: FieldErrors = {};
      for (const issue of checked.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
      const onlyTitle = Object.keys(errors).every((key) => key === "title") && !draft.title.trim();
      this.set({ save: { kind: "blocked" }, fieldErrors: trigger === "auto" && onlyTitle ? this.snapshot.fieldErrors : { ...this.snapshot.fieldErrors, ...errors } });
      return;
    }
    this.set({ save: { kind: "saving" } });
    try {
      const created = await this.options.api.create({ title: draft.title, markdown: draft.markdown });
      this.attempts = 0;
      removeLocalDrafts(null);
      this.acceptServerPost(created, emptyFields, ["title", "markdown"]);
      this.options.onCreated(created);
    } catch (error) {
      this.handleError(error, draft);
    }
  }

  private async saveEdit(): Promise<void> {
    const { postId, base, draft } = this.snapshot;
    if (!postId || !base) return;
    const keys = changedFields(draft, base.fields);
    if (keys.length === 0) {
      this.set({ save: { kind: "idle" } });
      return;
    }
    const input: PostUpdateInput = { id: postId, version: base.version };
    const errors: FieldErrors = {};
    const sent: FieldKey[] = [];
    for (const key of keys) {
      const rejected = this.rejected[key];
      if (rejected && rejected.value === normalizedField(draft, key)) {
        errors[key] = [rejected.message];
        continue;
      }
      const checked = checkField(draft, key);
      if (!checked.ok) {
        errors[key] = [checked.message];
        continue;
      }
      (input as Record<string, unknown>)[key] = draft[key];
      sent.push(key);
    }
    this.set({ fieldErrors: errors });
    if (sent.length === 0) {
      this.set({ save: { kind: "blocked" } });
      return;
    }
    this.set({ save: { kind: "saving" } });
    try {
      const updated = await this.options.api.update(input);
      this.attempts = 0;
      this.acceptServerPost(updated, base.fields, keys, base.version);
      if (Object.keys(errors).length > 0) this.set({ save: { kind: "blocked" }, fieldErrors: { ...this.snapshot.fieldErrors, ...errors } });
    } catch (error) {
      this.handleError(error, draft);
    }
  }

  /**
   * The server confirmed a version. Fields the writer had not touched take the server's value (a
   * generated slug follows the title); what the writer typed meanwhile stays and is saved next.
   */
  private acceptServerPost(post: OwnPost | SavedPost, previousBase: PostFields, touched: readonly FieldKey[], previousVersion?: number): void {
    const server = fieldsOf(post);
    const draft = { ...this.snapshot.draft };
    for (const key of fieldKeys) {
      if (key === "title" || key === "markdown" || touched.includes(key)) continue;
      if (sameField(draft, previousBase, key) && !sameField(server, previousBase, key)) {
        (draft as Record<FieldKey, unknown>)[key] = server[key];
      }
    }
    this.set({
      postId: post.id,
      base: { fields: server, version: post.version },
      draft,
      savedAt: Date.now(),
      save: { kind: "idle" },
    });
    if (this.snapshot.dirty) this.set({ save: { kind: "pending" } });
    this.keepLocally();
    this.options.onServerPost(post);
    // The server kept the same version: it found nothing new in what was sent. Saving the same again
    // would loop, so the next save waits for the next edit.
    const unchanged = previousVersion !== undefined && post.version === previousVersion && changedFields(this.snapshot.draft, server).every((key) => touched.includes(key));
    if (this.snapshot.dirty && !unchanged) this.scheduleAutosave();
  }

  private handleError(error: unknown, sentDraft: PostFields): void {
    const failure = classifySaveError(error);
    switch (failure.kind) {
      case "refused-fields":
        // Not sent again until changed; the rest of the edit is saved without them.
        for (const [key, message] of Object.entries(failure.messages) as [FieldKey, string][]) {
          this.rejected[key] = { value: normalizedField(sentDraft, key), message };
        }
        this.set({ fieldErrors: { ...this.snapshot.fieldErrors, ...failure.fieldErrors }, save: { kind: "pending" } });
        this.scheduleAutosave(0);
        return;
      case "conflict":
        void this.openConflict();
        return;
      case "offline":
        this.set({ save: { kind: "offline", retryAt: this.scheduleRetry() } });
        return;
      case "failed":
        this.set({
          save: { kind: "failed", message: failure.message, retryAt: failure.retry ? this.scheduleRetry() : null, ...(failure.signedOut && { signedOut: true }) },
        });
        return;
    }
  }

  private async openConflict(): Promise<void> {
    const { postId, base } = this.snapshot;
    if (!postId || !base) return;
    try {
      const server = await this.options.api.byId(postId);
      this.options.onServerPost(server);
      this.set({ conflict: { server, baseVersion: base.version }, conflictDialogOpen: true, save: { kind: "conflict" } });
    } catch {
      this.set({ save: { kind: "offline", retryAt: this.scheduleRetry() } });
    }
  }

  openConflictDialog(): void {
    if (this.snapshot.conflict) this.set({ conflictDialogOpen: true });
  }
  closeConflictDialog(): void {
    this.set({ conflictDialogOpen: false });
  }

  /** Keep mine: the writer's changes go on top of the server's version (fields they did not touch take theirs). */
  keepMine(): void {
    const { conflict, base, draft } = this.snapshot;
    if (!conflict || !base) return;
    const theirs = fieldsOf(conflict.server);
    const merged = mergeFields(draft, base.fields, theirs);
    this.rejected = {};
    this.set({
      draft: merged,
      base: { fields: theirs, version: conflict.server.version },
      docRevision: merged.markdown === draft.markdown ? this.snapshot.docRevision : this.snapshot.docRevision + 1,
      conflict: null,
      conflictDialogOpen: false,
      fieldErrors: {},
      save: { kind: "pending" },
    });
    this.keepLocally();
    void this.save("manual");
  }

  /** Take theirs: the server's version replaces the writer's. */
  takeTheirs(): void {
    const { conflict } = this.snapshot;
    if (!conflict) return;
    this.replaceWith(conflict.server);
  }

  /** Shows the server's post as it is (restored revision, newer version loaded): nothing unsaved is lost by it. */
  replaceWith(post: OwnPost | SavedPost): void {
    const fields = fieldsOf(post);
    this.rejected = {};
    this.set({
      postId: post.id,
      base: { fields, version: post.version },
      draft: fields,
      docRevision: this.snapshot.docRevision + 1,
      conflict: null,
      conflictDialogOpen: false,
      fieldErrors: {},
      save: { kind: "idle" },
    });
    this.keepLocally();
    this.options.onServerPost(post);
  }

  /** Loads the server's newer version into a clean editor. */
  async reloadFromServer(): Promise<void> {
    const { postId } = this.snapshot;
    if (!postId || this.snapshot.dirty) return;
    const post = await this.options.api.byId(postId);
    if (!this.snapshot.dirty && !this.inFlight) this.replaceWith(post);
  }

  /** Brings back the copy found in this browser; it is saved like any edit (a stale base opens the conflict dialog). */
  restoreLocal(): void {
    const { localOffer, base } = this.snapshot;
    if (!localOffer) return;
    const nextBase = base && localOffer.baseVersion > 0 && localOffer.baseVersion < base.version ? { ...base, version: localOffer.baseVersion } : base;
    this.set({
      draft: localOffer.fields,
      base: nextBase,
      docRevision: localOffer.fields.markdown === this.snapshot.draft.markdown ? this.snapshot.docRevision : this.snapshot.docRevision + 1,
      localOffer: null,
      save: { kind: "pending" },
    });
    this.keepLocally();
    this.scheduleAutosave(0);
  }

  discardLocal(): void {
    removeLocalDrafts(this.snapshot.postId);
    this.set({ localOffer: null });
    this.keepLocally(); // what was typed since stays kept
  }
}
