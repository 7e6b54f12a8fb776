import { fieldKeys, type PostFields } from "./post-fields";

// Every keystroke is also kept in this browser's localStorage until the server confirms it, keyed by the
// post id and the version the edit is based on ("new" for a post that was never saved). Reopening the
// editor after a crash or a closed tab finds the copy and offers it back.

const PREFIX = "inkwell:draft:";

export interface LocalDraft {
  /** The post's id, or null for a post that was never saved. */
  postId: string | null;
  /** The version the edit is based on (0 for a new post). */
  baseVersion: number;
  fields: PostFields;
  /** When it was last written (ms since the epoch). */
  savedAt: number;
}

function keyFor(postId: string | null, baseVersion: number): string {
  return postId ? `${PREFIX}${postId}@${baseVersion}` : `${PREFIX}new`;
}

function keysFor(postId: string | null): string[] {
  const storage = safeStorage();
  if (!storage) return [];
  const prefix = postId ? `${PREFIX}${postId}@` : `${PREFIX}new`;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

function safeStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings): nothing is kept, nothing breaks
  }
}

function parse(raw: string | null): LocalDraft | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<LocalDraft> & { fields?: Partial<PostFields> };
    if (typeof value.baseVersion !== "number" || typeof value.savedAt !== "number" || !value.fields) return null;
    // Copies kept before the cover's description existed lack it: they are still the writer's text.
    const fields: Partial<PostFields> = { ...value.fields };
    fields.coverImageAlt ??= "";
    for (const key of fieldKeys) {
      const ok = key === "tags" ? Array.isArray(fields.tags) && fields.tags.every((t) => typeof t === "string") : typeof fields[key] === "string";
      if (!ok) return null;
    }
    return { postId: value.postId ?? null, baseVersion: value.baseVersion, fields: fields as PostFields, savedAt: value.savedAt };
  } catch {
    return null;
  }
}

/** Keeps the copy (replacing this post's older ones). Returns false if the browser refused (storage full). */
export function writeLocalDraft(draft: LocalDraft): boolean {
  const storage = safeStorage();
  if (!storage) return false;
  const key = keyFor(draft.postId, draft.baseVersion);
  try {
    storage.setItem(key, JSON.stringify(draft));
  } catch {
    return false;
  }
  for (const other of keysFor(draft.postId)) if (other !== key) storage.removeItem(other);
  return true;
}

/** The newest copy kept for the post (or for the never-saved new post), if any. */
export function readLocalDraft(postId: string | null): LocalDraft | null {
  const storage = safeStorage();
  if (!storage) return null;
  let newest: LocalDraft | null = null;
  for (const key of keysFor(postId)) {
    const draft = parse(storage.getItem(key));
    if (draft && (!newest || draft.savedAt > newest.savedAt)) newest = draft;
  }
  return newest;
}

/** Forgets the post's copies: the server has the text, or the writer discarded it. */
export function removeLocalDrafts(postId: string | null): void {
  const storage = safeStorage();
  if (!storage) return;
  for (const key of keysFor(postId)) storage.removeItem(key);
}
