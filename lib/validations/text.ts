import { z } from "zod";

/**
 * Characters no writer means to type and that our outputs cannot carry: the C0 control characters
 * other than tab, line feed and carriage return (PostgreSQL's text cannot hold NUL, XML 1.0 — the
 * feeds, the sitemap — none of them; U+0002/U+0003 once forged search highlights), lone surrogate
 * halves, and the non-characters U+FFFE/U+FFFF.
 */
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, "g");

/** `text` without the characters above (for output built from text stored before they were refused). */
export function withoutUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, "");
}

function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Text that can be stored and shown everywhere: a string without the characters above. They are
 * refused with a message naming the character and where it is, since it is invisible in the editor,
 * rather than dropped silently or failing later in the database or in a feed reader.
 */
export function storableText(label: string) {
  return z.string().superRefine((value, ctx) => {
    const match = UNSAFE_CHARACTER.exec(value);
    if (!match) return;
    const name = match[0] === "\u0000" ? "NUL" : codePointName(match[0]);
    ctx.addIssue({
      code: "custom",
      message: `${label} contains an invalid character (${name}) at position ${match.index + 1}; remove it and try again.`,
    });
  });
}
