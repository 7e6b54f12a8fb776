import { z } from "zod";

/**
 * Text that can be stored: PostgreSQL's text type cannot hold the NUL character, and no writer means
 * to type one, so it is refused with a message instead of failing at the database.
 */
export function storableText(label: string) {
  return z.string().refine((value) => !value.includes("\u0000"), `${label} contains an invalid character (NUL).`);
}
