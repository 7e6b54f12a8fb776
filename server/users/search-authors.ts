import { and, isNotNull, sql } from "drizzle-orm";
import { readDb } from "../db";
import { users } from "./schema";

// Authors whose name answers a search: the words of a username or display name that begin with one of
// the searched words ("ali" finds Alice Walker and @alice_w). Posts search (server/posts) asks here, so
// only the users module reads the users schema.

/** Authors matched per searched word, at most this many each (a search for "a" is no directory listing). */
const AUTHORS_PER_WORD = 100;

/** The words of a name, as the search sees them (lower-case letters and digits). */
function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

/**
 * For each searched word (lower-case letters and digits only, see server/posts/search-query.ts), the
 * ids of confirmed authors with a name word starting with it.
 */
export async function findAuthorIdsByNamePrefix(words: readonly string[]): Promise<Map<string, string[]>> {
  const matches = new Map<string, string[]>(words.map((word) => [word, []]));
  if (words.length === 0) return matches;
  // The words carry no tsquery syntax (letters and digits only); `:*` makes each a prefix.
  const query = words.map((word) => `${word}:*`).join(" | ");
  const rows = await readDb
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(isNotNull(users.emailVerifiedAt), sql`to_tsvector('simple', ${users.username} || ' ' || ${users.displayName}) @@ to_tsquery('simple', ${query})`))
    .limit(AUTHORS_PER_WORD * words.length);
  for (const row of rows) {
    const names = nameWords(`${row.username} ${row.displayName}`);
    for (const word of words) {
      const ids = matches.get(word);
      if (ids && ids.length < AUTHORS_PER_WORD && names.some((name) => name.startsWith(word))) ids.push(row.id);
    }
  }
  return matches;
}
