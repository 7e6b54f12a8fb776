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

/**
 * What clients read for an unexpected failure. Its own text (a database error quotes the SQL and its
 * parameters) and stack stay in the server log; only development shows them, to the developer.
 */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again in a moment.";
const showInternalErrors = process.env.NODE_ENV === "development";

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  // Stacks in error responses only in development (tRPC's default is every environment but production).
  isDev: showInternalErrors,
  errorFormatter({ shape, error }) {
    if (error.code === "INTERNAL_SERVER_ERROR" && !showInternalErrors) {
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message: INTERNAL_ERROR_MESSAGE, data: { ...data, zodError: null, field: null } };
    }
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
