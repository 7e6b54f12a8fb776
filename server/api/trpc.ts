import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { AppError, type AppErrorCode } from "../errors";

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
  /**
   * Reads the request's session again (from the same cookie). A stream outlives the check made when it
   * opened; it calls this to end when the session is signed out or revoked.
   */
  revalidateSession: () => Promise<Session | null>;
}

export function createTRPCContext(opts: { session: Session | null; headers: Headers; revalidateSession?: () => Promise<Session | null> }): TRPCContext {
  const { session } = opts;
  // Callers without a cookie (server components, tests) hold a session nobody can revoke under them.
  return { session, headers: opts.headers, revalidateSession: opts.revalidateSession ?? (() => Promise.resolve(session)) };
}

/** The tRPC code of each domain refusal (server/errors.ts); the REST responder has its own table. */
const TRPC_CODES: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  INVALID: "BAD_REQUEST",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

/**
 * The first thing a validation failure says, as a sentence: the input schemas' messages are written
 * for writers ("The post is too long: at most 100,000 characters."); the rest is in `data.zodError`.
 */
function firstMessage(error: ZodError): string {
  return error.issues[0]?.message ?? "The request is not valid.";
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
    const invalidInput = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: invalidInput ? firstMessage(invalidInput) : shape.message,
      data: {
        ...shape.data,
        // Field-level messages for forms: { fieldErrors: { title: ["Give the post a title."] } }.
        zodError: invalidInput ? z.flattenError(invalidInput) : null,
        // Which input a refusal is about (a taken slug, a wrong current password), so forms mark that
        // field without matching the message: `new AppError("CONFLICT", …, { field: "slug" })`.
        field: error.cause instanceof AppError ? error.cause.field : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The services' refusals (AppError) as tRPC errors, for HTTP clients and server-side callers alike; the
 * AppError stays the cause, where the formatter finds its `field`. Anything else passes as it is.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** Refuses anonymous calls; after it, `ctx.session.user` is the signed-in writer. Fails closed. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session?.user) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  return next({ ctx: { ...ctx, session: { ...ctx.session, user: ctx.session.user } } });
});

/** How often an open stream re-checks its session while no event comes (each event is checked too). */
export const STREAM_SESSION_RECHECK_MS = 30_000;

/**
 * For subscriptions: whether the session the stream opened with still stands. `signal` aborts when the
 * client leaves or a periodic re-check finds the session gone; `stillSignedIn()` checks before an event is
 * delivered. Fails closed: an error while checking ends the stream (the client reconnects and is checked).
 */
export function watchSession(ctx: TRPCContext, clientSignal: AbortSignal | undefined, recheckEveryMs = STREAM_SESSION_RECHECK_MS) {
  const controller = new AbortController();
  const userId = ctx.session?.user.id;
  const end = () => controller.abort();
  clientSignal?.addEventListener("abort", end, { once: true });
  async function stillSignedIn(): Promise<boolean> {
    if (controller.signal.aborted) return false;
    const current = await ctx.revalidateSession().catch(() => null);
    if (userId !== undefined && current?.user.id === userId) return true;
    end();
    return false;
  }
  const timer = setInterval(() => void stillSignedIn(), recheckEveryMs);
  timer.unref();
  return {
    signal: controller.signal,
    stillSignedIn,
    stop() {
      clearInterval(timer);
      clientSignal?.removeEventListener("abort", end);
      end();
    },
  };
}
