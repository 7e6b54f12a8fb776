import {
  userByUsernameSchema,
  userChangeEmailSchema,
  userChangePasswordSchema,
  userProfileUpdateSchema,
  userEmailTokenSchema,
  userForgotPasswordSchema,
  userRegisterSchema,
  userResetPasswordSchema,
} from "@/lib/validations/user";
import type { z } from "zod";
import { forgetSessionsOf } from "../../auth/session-cache";
import { purgeForProfileChange } from "../../cache/purge";
import { AppError } from "../../errors";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "../../security/common-passwords";
import { limitMailRequest, limitRegistration, limitPasswordCheck } from "../../security/rate-limit";
import {
  changeEmail,
  changePassword,
  confirmEmailChange,
  requestPasswordReset,
  resetPassword,
  endAllSessions,
  getOwnProfile,
  getPublicProfileByUsername,
  registerUser,
  updateProfile,
} from "../../users/service";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

/** The form's rules plus what only the server can check (the common-password list is too big to ship). */
function refusingCommonPassword<Schema extends z.ZodType<Record<Field, string>>, Field extends string>(schema: Schema, field: Field) {
  return schema.refine((value) => !isCommonPassword(value[field]), { path: [field], message: COMMON_PASSWORD_MESSAGE });
}

const userRegisterServerSchema = refusingCommonPassword(userRegisterSchema, "password");
const userResetPasswordServerSchema = refusingCommonPassword(userResetPasswordSchema, "password");
const userChangePasswordServerSchema = refusingCommonPassword(userChangePasswordSchema, "newPassword");

export const usersRouter = createTRPCRouter({
  /**
   * Always `{ status: "verification-sent", email }`, whether the address is new, registered or pending:
   * the mailbox learns which, the caller never does. A taken username is reported (usernames are public).
   */
  register: publicProcedure.input(userRegisterServerSchema).mutation(async ({ ctx, input }) => {
    await limitRegistration(ctx.headers);
    await limitMailRequest(ctx.headers, input.email, { perIp: false });
    return registerUser(input);
  }),

  /** "Forgot password": the same answer whether or not the address has an account. */
  requestPasswordReset: publicProcedure.input(userForgotPasswordSchema).mutation(async ({ ctx, input }) => {
    await limitMailRequest(ctx.headers, input.email);
    return requestPasswordReset(input.email);
  }),

  /** Follows a reset link (the token is the credential): new password, every session ended. */
  resetPassword: publicProcedure.input(userResetPasswordServerSchema).mutation(async ({ input }) => {
    const { id, email } = await resetPassword(input);
    forgetSessionsOf(id);
    return { ok: true as const, email };
  }),

  /** Follows a change-email link sent to the new address; the account switches to it. */
  confirmEmailChange: publicProcedure.input(userEmailTokenSchema).mutation(async ({ input }) => {
    const profile = await confirmEmailChange(input.token);
    forgetSessionsOf(profile.id);
    void purgeForProfileChange(profile.id);
    return { ok: true as const, email: profile.email };
  }),

  me: protectedProcedure.query(async ({ ctx }) => {
    const profile = await getOwnProfile(ctx.session.user.id);
    if (!profile) throw new AppError("UNAUTHORIZED", "Your account no longer exists.");
    return profile;
  }),

  updateProfile: protectedProcedure.input(userProfileUpdateSchema).mutation(async ({ ctx, input }) => {
    const profile = await updateProfile(ctx.session.user.id, input);
    forgetSessionsOf(ctx.session.user.id); // the header shows the new name at once
    void purgeForProfileChange(ctx.session.user.id); // cached public pages show it at once too
    return profile;
  }),

  /** Asks for the current password; ends every session, so the client signs in again with the new one. */
  changePassword: protectedProcedure.input(userChangePasswordServerSchema).mutation(async ({ ctx, input }) => {
    const attempt = await limitPasswordCheck(ctx.headers, ctx.session.user.id);
    await changePassword(ctx.session.user.id, input);
    await attempt.succeeded();
    forgetSessionsOf(ctx.session.user.id);
    return { ok: true as const };
  }),

  /** Asks for the current password, then mails a confirmation link to the new address (nothing changes yet). */
  changeEmail: protectedProcedure.input(userChangeEmailSchema).mutation(async ({ ctx, input }) => {
    const attempt = await limitPasswordCheck(ctx.headers, ctx.session.user.id);
    await limitMailRequest(ctx.headers, input.email);
    const answer = await changeEmail(ctx.session.user.id, input);
    await attempt.succeeded();
    return answer;
  }),

  /** Ends every session of the writer, on every device, this one included. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    await endAllSessions(ctx.session.user.id);
    forgetSessionsOf(ctx.session.user.id);
    return { ok: true as const };
  }),

  byUsername: publicProcedure.input(userByUsernameSchema).query(async ({ input }) => {
    const profile = await getPublicProfileByUsername(input.username);
    if (!profile) throw new AppError("NOT_FOUND", "No writer by that name.");
    return profile;
  }),
});
