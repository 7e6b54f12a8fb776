import { and, desc, inArray, or, sql } from "drizzle-orm";
import escapeHtml from "escape-html";
import { readDb } from "../db";
import { findAuthorIdsByNamePrefix } from "../users/search-authors";
import { publicPostColumns, type SearchHit } from "./dto";
import { isPublic, withAuthors } from "./published-reads";
import { parseSearchQuery, type SearchQuery } from "./search-query";
import { posts } from "./schema";

// Full-text search over published posts (the search page, the REST API's /search).

// Control characters the input schemas refuse (lib/validations/text.ts) mark the matches until the
// snippet is escaped; any copy of them in older rows is removed before ts_headline adds its own, so
// text can never open or close a <mark>.
const MARK_START = "\u0002";
const MARK_END = "\u0003";

/**
 * The SQL of a parsed search: each word must match a word beginning in the post's text (title weighted
 * above body), its author's name, or one of its tags; phrases must appear; excluded words must not.
 * Every condition can use an index (the search vector's GIN, the tags' GIN, the author index), so
 * Postgres can combine them with a bitmap OR instead of reading every post.
 */
function searchConditions(query: SearchQuery, authorsByWord: Map<string, string[]>) {
  const prefixQuery = (word: string) => sql`to_tsquery('english', ${`${word}:*`})`;
  const wordMatches = query.words.map((word, index) => {
    const authorIds = authorsByWord.get(word) ?? [];
    // Tags are whole, lower-case and hyphenated: the word itself, or joined to its neighbour ("web dev" → web-dev).
    const tags = [word, ...[query.words[index - 1], query.words[index + 1]].flatMap((next, side) => (next ? [side === 0 ? `${next}-${word}` : `${word}-${next}`] : []))];
    return {
      text: sql`${posts.searchVector} @@ ${prefixQuery(word)}`,
      tag: sql`${posts.tags} && ${sql`array[${sql.join(tags.map((tag) => sql`${tag}`), sql`, `)}]::text[]`}`,
      author: authorIds.length > 0 ? inArray(posts.authorId, authorIds) : sql`false`,
    };
  });
  const phraseQueries = query.phrases.map((phrase) => sql`phraseto_tsquery('english', ${phrase})`);
  const where = and(
    ...wordMatches.map((m) => or(m.text, m.tag, m.author)),
    ...phraseQueries.map((q) => sql`${posts.searchVector} @@ ${q}`),
    ...query.excluded.map((word) => sql`not (${posts.searchVector} @@ ${prefixQuery(word)})`),
  );
  // Ranking: text relevance (title matches weigh more), plus a little for a match in the author's name or a tag.
  const textQuery = sql.join([...query.words.map(prefixQuery), ...phraseQueries], sql` || `);
  const bonuses = wordMatches.map((m) => sql`(case when ${m.author} then 0.5 else 0 end) + (case when ${m.tag} then 0.3 else 0 end)`);
  const rank = sql`ts_rank_cd(${posts.searchVector}, ${textQuery}) + ${bonuses.length > 0 ? sql.join(bonuses, sql` + `) : sql`0`}`;
  return { where, rank, textQuery };
}

/** The words that mean something to an English text search (stop words such as "the" have no lexeme). */
async function withoutStopWords(words: readonly string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const rows = await readDb.execute<{ word: string }>(
    sql`select word from unnest(array[${sql.join(words.map((word) => sql`${word}`), sql`, `)}]::text[]) as word where numnode(to_tsquery('english', word || ':*')) > 0`,
  );
  const meaningful = new Set([...rows].map((row) => row.word));
  return words.filter((word) => meaningful.has(word));
}

/**
 * Full-text search over published posts, best match first: word beginnings ("releas" finds "release"),
 * "quoted phrases", -excluded words, and authors' names and tags (see search-query.ts).
 */
export async function searchPublishedPosts(input: string, options: { limit: number; offset: number }): Promise<{ items: SearchHit[]; nextOffset: number | null }> {
  const parsed = parseSearchQuery(input);
  const query = { ...parsed, words: await withoutStopWords(parsed.words) };
  if (query.words.length === 0 && query.phrases.length === 0) return { items: [], nextOffset: null };
  const { where, rank, textQuery } = searchConditions(query, await findAuthorIdsByNamePrefix(query.words));
  const rows = await readDb
    .select({
      row: publicPostColumns,
      snippet: sql<string>`ts_headline('english', translate(coalesce(${posts.publishedText}, ''), ${MARK_START + MARK_END}, ''), ${textQuery}, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})`,
    })
    .from(posts)
    .where(and(isPublic, where))
    .orderBy(desc(rank), desc(posts.publishedAt), desc(posts.id))
    .limit(options.limit + 1)
    .offset(options.offset);
  const page = rows.slice(0, options.limit);
  const published = await withAuthors(page.map((r) => r.row));
  const snippets = new Map(page.map((r) => [r.row.id, r.snippet]));
  const items = published.map((post) => ({
    ...post,
    snippet: escapeHtml(snippets.get(post.id) ?? "").replaceAll(MARK_START, "<mark>").replaceAll(MARK_END, "</mark>"),
  }));
  return { items, nextOffset: rows.length > options.limit ? options.offset + options.limit : null };
}
