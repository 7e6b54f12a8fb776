import { AppError } from "../errors";

// Keyset pagination cursors: the sort time and id of the last row of a page, base64url-encoded. A
// cursor comes back from the client, so it is checked as strictly as any input: it must be exactly
// what encodePageCursor writes for some position, or the request is refused (INVALID, a 400) before
// any query (a made-up date or id once reached PostgreSQL, which answered with an error and a 500).

export interface PagePosition {
  at: Date;
  id: string;
}

/** Ids as PostgreSQL writes them (lower case), so each position has one spelling. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Rows are written now, not before 1970 nor after 9999 (where ISO strings grow a sign and six digits). */
const LATEST = Date.UTC(10_000, 0, 1);

export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString("base64url");
}

export function invalidCursor(): AppError {
  return new AppError("INVALID", "This page link is broken or out of date; start again from the first page.");
}

export function decodePageCursor(cursor: string): PagePosition {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidCursor();
  const [iso, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !iso || !id || !UUID.test(id)) throw invalidCursor();
  const at = new Date(iso);
  const time = at.getTime();
  if (Number.isNaN(time) || time < 0 || time >= LATEST || at.toISOString() !== iso) throw invalidCursor();
  // One spelling per position: anything that only decodes to one (padding, other bytes) is not a cursor.
  if (encodePageCursor({ at, id }) !== cursor) throw invalidCursor();
  return { at, id };
}
