import { TRPCError } from "@trpc/server";
import { userByUsernameSchema, userProfileUpdateSchema, userRegisterSchema } from "@/lib/validations/user";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "../../security/common-passwords";
import { limitRegistration } from "../../security/rate-limit";
import { getOwnProfile, getPublicProfileByUsername, registerUser, updateProfile } from "../../users/service";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

/** The form's rules plus what only the server can check (the common-password list is too big to ship). */
const userRegisterServerSchema = userRegisterSchema.refine((v) => !isCommonPassword(v.password), {
  path: ["password"],
  message: COMMON_PASSWORD_MESSAGE,
});

export const usersRouter = createTRPCRouter({
  register: publicProcedure.input(userRegisterServerSchema).mutation(async ({ ctx, input }) => {
    await limitRegistration(ctx.headers);
    return registerUser(input);
  }),

  me: protectedProcedure.query(async ({ ctx }) => {
    const profile = await getOwnProfile(ctx.session.user.id);
    if (!profile) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists." });
    return profile;
  }),

  updateProfile: protectedProcedure
    .input(userProfileUpdateSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx.session.user.id, input)),

  byUsername: publicProcedure.input(userByUsernameSchema).query(async ({ input }) => {
    const profile = await getPublicProfileByUsername(input.username);
    if (!profile) throw new TRPCError({ code: "NOT_FOUND", message: "No writer by that name." });
    return profile;
  }),
});
