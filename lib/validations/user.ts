import { z } from "zod";
import { isReservedUsername, RESERVED_USERNAME_MESSAGE } from "./reserved-usernames";
import { storableText } from "./text";

// Shared by the sign-up/profile forms and the users router, so client and server agree on every rule.

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Username must be at least 3 characters.")
  .max(30, "Username must be at most 30 characters.")
  .regex(/^[a-z0-9_]+$/, "Use only letters, digits and underscores.");

/**
 * A username being chosen: also not one kept back for the platform's pages. Look-ups keep
 * usernameSchema, so an account that took such a name before it was reserved is still found.
 */
export const newUsernameSchema = usernameSchema.refine((name) => !isReservedUsername(name), RESERVED_USERNAME_MESSAGE);

/**
 * Control characters (NUL, CR, LF, tab, C1), line and paragraph separators, and invisible marks:
 * zero-width space, direction marks, overrides and isolates, word joiners, the BOM. A name is one line of
 * visible text: it is shown in page headers and mails, where a line break could start a forged paragraph
 * (or header) and direction overrides could disguise it. The zero-width (non-)joiners stay: Persian and
 * Indic scripts and emoji sequences need them.
 */
const NAME_INVISIBLES = /[\p{Cc}\p{Zl}\p{Zp}\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]+/gu;

/** Invisible and line-breaking characters become one space, runs of spaces one, and the ends are trimmed. */
export function toSingleLineName(value: string): string {
  return value.replace(NAME_INVISIBLES, " ").replace(/\s+/g, " ").trim();
}

export const displayNameSchema = z
  .string()
  .max(400, "Display name must be at most 80 characters.")
  .transform(toSingleLineName)
  .pipe(z.string().min(1, "Display name is required.").max(80, "Display name must be at most 80 characters."));

export const passwordSchema = z
  .string()
  .min(8, "Password must be at least 8 characters.")
  .max(128, "Password must be at most 128 characters.");

export const bioSchema = storableText("Bio").trim().max(500, "Bio must be at most 500 characters.");

export const userRegisterSchema = z.object({
  email: emailSchema,
  username: newUsernameSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});
export type UserRegisterInput = z.input<typeof userRegisterSchema>;

export const userSignInSchema = z.object({
  email: emailSchema,
  // No length rules at sign-in: the stored hash decides; only refuse absurd payloads.
  password: z.string().min(1, "Enter your password.").max(1024),
});

export const userProfileUpdateSchema = z
  .object({ displayName: displayNameSchema.optional(), bio: bioSchema.optional() })
  .refine((v) => v.displayName !== undefined || v.bio !== undefined, "Nothing to update.");
export type UserProfileUpdateInput = z.input<typeof userProfileUpdateSchema>;

export const userByUsernameSchema = z.object({ username: usernameSchema });

const currentPasswordSchema = z.string().min(1, "Enter your current password.").max(1024);

export const userChangePasswordSchema = z
  .object({ currentPassword: currentPasswordSchema, newPassword: passwordSchema })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

export const userChangeEmailSchema = z.object({ currentPassword: currentPasswordSchema, email: emailSchema });

/** The token of a mailed link (`?token=…`); its validity is the server's to judge. */
export const emailTokenSchema = z.string().trim().min(20, "This link is incomplete. Open it again from the email.").max(200, "This link is not valid.");

export const userEmailTokenSchema = z.object({ token: emailTokenSchema });

/** /verify-email: the sign-up link's token, and the password chosen at that sign-up. */
export const userSignUpConfirmSchema = z.object({
  token: emailTokenSchema,
  password: z.string().min(1, "Enter the password you chose when you signed up.").max(1024),
});

export const userForgotPasswordSchema = z.object({ email: emailSchema });
export type UserForgotPasswordInput = z.input<typeof userForgotPasswordSchema>;

export const userResetPasswordSchema = z.object({ token: emailTokenSchema, password: passwordSchema });
export type UserResetPasswordInput = z.input<typeof userResetPasswordSchema>;

/** Deleting the account: the password, and the username typed out (checked against the account's). */
export const accountDeleteSchema = z.object({
  password: z.string().min(1, "Enter your password to delete your account.").max(1024, "That password is too long."),
  confirmation: z.string().trim().max(100, "Type your username to confirm.").transform((v) => v.replace(/^@/, "").toLowerCase()),
});
