import { z } from "zod";
import { storableText } from "./text";
import { emailSchema, emailTokenSchema, usernameSchema } from "./user";

// Shared by the newsletter forms, route handlers and router, so client and server agree on every rule.

export const subscribeSchema = z.object({ writer: usernameSchema, email: emailSchema });
export const subscriptionTokenSchema = z.object({ token: emailTokenSchema });

/** A CSV upload is capped well above a 100,000-row list of addresses (about 3 MB). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;

export const subscriberImportSchema = z.object({
  csv: z.string().min(1, "Choose a CSV file with one address a line.").max(MAX_IMPORT_BYTES, "The file is too large (8 MB at most)."),
  consentStatement: storableText("The consent statement")
    .trim()
    .min(10, "Say how these readers agreed to receive your posts (at least 10 characters).")
    .max(1_000, "The consent statement must be at most 1,000 characters."),
});

export const subscriberListSchema = z.object({
  search: z.string().trim().max(254, "Search for at most 254 characters.").default(""),
  cursor: z.string().max(400).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const subscriberByIdSchema = z.object({ id: z.uuid("That subscriber does not exist.") });
export const postSendSchema = z.object({ postId: z.uuid("That post does not exist.") });
