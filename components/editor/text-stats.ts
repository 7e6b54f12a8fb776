// A client-side estimate of what the worker will count: words in the rendered text, read at 200 words a
// minute (the `reading-time` package's default and algorithm, which the server uses), rounded up to a
// whole minute for a non-empty post.

const WORDS_PER_MINUTE = 200;

function inRanges(code: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([low, high]) => low <= code && code <= high);
}

const CJK: ReadonlyArray<readonly [number, number]> = [
  [0x3040, 0x309f],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0x20000, 0x2ebe0],
];
const PUNCTUATION: ReadonlyArray<readonly [number, number]> = [
  [0x21, 0x2f],
  [0x3a, 0x40],
  [0x5b, 0x60],
  [0x7b, 0x7e],
  [0x3000, 0x303f],
  [0xff00, 0xffef],
];

const isBound = (c: string | undefined) => c !== undefined && " \n\r\t".includes(c);
const isCjk = (c: string | undefined) => c !== undefined && inRanges(c.charCodeAt(0), CJK);
const isPunctuation = (c: string | undefined) => c !== undefined && inRanges(c.charCodeAt(0), PUNCTUATION);

/** Counts words exactly as `reading-time` does (a CJK character is a word of its own). */
export function countWords(text: string): number {
  let words = 0;
  let start = 0;
  let end = text.length - 1;
  while (isBound(text[start])) start++;
  while (isBound(text[end])) end--;
  const normalized = `${text}\n`;
  for (let i = start; i <= end; i++) {
    if (isCjk(normalized[i]) || (!isBound(normalized[i]) && (isBound(normalized[i + 1]) || isCjk(normalized[i + 1])))) {
      words++;
    }
    if (isCjk(normalized[i])) {
      while (i <= end && (isPunctuation(normalized[i + 1]) || isBound(normalized[i + 1]))) i++;
    }
  }
  return words;
}

/**
 * Markdown reduced to roughly the text readers get: markup, link targets, raw HTML and code fences go;
 * the words inside them stay.
 */
export function markdownToText(markdown: string): string {
  return (
    markdown
      // Fence lines (``` or ~~~, with a language) are not text; the code inside is.
      .replace(/^ {0,3}(`{3,}|~{3,}).*$/gm, " ")
      // Raw HTML is removed by the sanitizer.
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<\/?[a-zA-Z][^>]*>/g, " ")
      // Images keep their alt text, links their text; the addresses go.
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/^ {0,3}\[[^\]]+\]:\s*\S+.*$/gm, " ")
      // Headings, quotes, list markers, task boxes, rules and table pipes.
      .replace(/^ {0,3}#{1,6}\s+/gm, "")
      .replace(/^ {0,3}>\s?/gm, "")
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/gm, "")
      .replace(/^ {0,3}(?:[-*_]\s*){3,}$/gm, " ")
      .replace(/^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/gm, " ")
      .replace(/\s\|\s|^\||\|$/gm, " ")
      // Emphasis, strike-through and inline code marks.
      .replace(/(\*{1,3}|_{1,3}|~~|`+)(?=\S)([\s\S]*?\S)\1/g, "$2")
  );
}

export interface TextStats {
  words: number;
  /** Whole minutes, at least 1 for a non-empty post (as the server rounds). */
  minutes: number;
}

export function textStats(markdown: string): TextStats {
  const words = countWords(markdownToText(markdown));
  return { words, minutes: words === 0 ? 0 : Math.max(1, Math.ceil(words / WORDS_PER_MINUTE)) };
}
