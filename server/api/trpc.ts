import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";

// The one tRPC core file: context, initialisation, and the procedure builders every router uses.
// Free of next-auth imports: the route handler resolves the session and tests pass one directly.

/** The signed-in writer, as the session carries them. */
export interface SessionUser {
  id: string;
  email: string;
  username: string;
  name: string;
}
export interface Session {
  user: SessionUser;
}

export interface TRPCContext {
  session: Session | null;
  headers: Headers;
}

export function createTRPCContext(opts: { session: Session | null; headers: Headers }): TRPCContext {
  return { session: opts.session, headers: opts.headers };
}

function fieldOf(cause: unknown): string | null {
  // tRPC copies a plain-object cause onto an Error (UnknownCauseError), so `field` is an own property.
  return cause instanceof Error && "field" in cause && typeof cause.field === "string" ? cause.field : null;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms: { fieldErrors: { title: ["Give the post a title."] } }.
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        // Which input a refusal is about (a taken slug, a wrong current password), so forms mark that
        // field without matching the message: throw `new TRPCError({ …, cause: { field: "slug" } })`.
        field: fieldOf(error.cause),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

/** Refuses anonymous calls; after it, `ctx.session.user` is the signed-in writer. Fails closed. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session?.user) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  return next({ ctx: { ...ctx, session: { ...ctx.session, user: ctx.session.user } } });
});
