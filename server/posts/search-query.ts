// What a reader typed into search, taken apart before any of it reaches SQL: plain words (matched as
// word beginnings: "releas" finds "release"), "quoted phrases", and -words to leave out. Words keep only
// letters and digits, so no text-search syntax (& | ! : * ' ( ) <->) can come from the reader.

export interface SearchQuery {
  /** Lower-case words, each matched as a prefix in the text, or in an author's name, or a tag. */
  words: string[];
  /** Phrases that must appear as written (stemmed, in order). */
  phrases: string[];
  /** Words whose matches exclude a post. */
  excluded: string[];
}

/** Enough for any real search; more would only make the query slower. */
export const SEARCH_WORDS_MAX = 10;

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean);
}

export function parseSearchQuery(input: string): SearchQuery {
  const query: SearchQuery = { words: [], phrases: [], excluded: [] };
  for (const match of input.matchAll(/(-?)"([^"]*)"?|(-?)([^\s"]+)/g)) {
    const [, phraseNegation, phrase, wordNegation, token] = match;
    if (phrase !== undefined) {
      const words = wordsOf(phrase);
      if (words.length === 0) continue;
      if (phraseNegation) query.excluded.push(...words);
      else if (words.length === 1) query.words.push(...words);
      else query.phrases.push(words.join(" "));
    } else if (token !== undefined) {
      (wordNegation ? query.excluded : query.words).push(...wordsOf(token));
    }
  }
  query.words = [...new Set(query.words)].slice(0, SEARCH_WORDS_MAX);
  query.phrases = [...new Set(query.phrases)].slice(0, SEARCH_WORDS_MAX);
  query.excluded = [...new Set(query.excluded)].slice(0, SEARCH_WORDS_MAX);
  return query;
}
