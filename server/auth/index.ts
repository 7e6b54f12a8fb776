import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { userSignInSchema, userSignUpConfirmSchema } from "@/lib/validations/user";
import { env } from "../env.js";
import { logger } from "../logger";
import { RateLimitedError, clientRateLimitKey, limitSignInAttempt, recordSignInResult } from "../security/rate-limit";
import { SESSION_LIFETIME_MS, authenticate, confirmEmailVerification, endSession, renewSession, startSession, type SignUpRefused } from "../users/service";
import { forgetSessionsOf } from "./session-cache";
import { standingSessionState } from "./session-check";

/** Reaches /verify-email's form as `code`: why the link did not confirm the address ("username-reserved:<name>" names the name). */
class SignUpNotConfirmed extends CredentialsSignin {
  constructor(refusal: SignUpRefused) {
    super();
    this.code = refusal.refused === "username-reserved" ? `${refusal.refused}:${refusal.username}` : refusal.refused;
  }
}

/** Reaches the sign-in form as `code`: "rate_limited:<seconds>". */
class RateLimitedSignIn extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

// Auth.js (next-auth v5) with email + password, and the single-use sign-up link ("email-token"). Credentials sign-in requires JWT sessions; the token
// carries only the writer's id, names and session id (sid, a row in users.sessions that "Sign out"
// deletes, so a copied cookie dies with it), never the password hash.

declare module "next-auth" {
  interface Session {
    user: { id: string; username: string } & DefaultSession["user"];
  }
  interface User {
    username?: string;
    sessionVersion?: number;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  // Self-hosted behind any proxy: trust the Host header (APP_URL pins the public URL where it matters).
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_LIFETIME_MS / 1000 },
  // A wrong password is an everyday event, not a server error: keep it out of the error log.
  logger: {
    error(error) {
      // instanceof, not the name: production bundles minify class names.
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      logger.error({ err: error }, "auth error");
    },
    warn(code) {
      logger.warn({ code }, "auth warning");
    },
  },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, request) {
        const parsed = userSignInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientRateLimitKey(request.headers);
        try {
          await limitSignInAttempt(ip, email);
        } catch (err) {
          if (err instanceof RateLimitedError) throw new RateLimitedSignIn(err.retryAfterSeconds);
          throw err;
        }
        const user = await authenticate(email, password);
        await recordSignInResult(ip, email, user !== null);
        if (!user) return null;
        return { id: user.id, email: user.email, name: user.displayName, username: user.username, sessionVersion: user.sessionVersion };
      },
    }),
    // The sign-up link: /verify-email POSTs its token here (never on GET: mail scanners prefetch links),
    // with the password chosen at sign-up. Using the single-use token verifies the address and signs the
    // writer in.
    Credentials({
      id: "email-token",
      name: "Email link",
      credentials: { token: { label: "Token", type: "text" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = userSignUpConfirmSchema.safeParse(raw);
        if (!parsed.success) return null;
        const confirmed = await confirmEmailVerification(parsed.data.token, parsed.data.password);
        if ("refused" in confirmed) throw new SignUpNotConfirmed(confirmed);
        const { user } = confirmed;
        return { id: user.id, email: user.email, name: user.displayName, username: user.username, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  events: {
    // "Sign out" ends this browser's session on the server too: the cookie it held no longer signs in,
    // wherever a copy of it is.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endSession(sid);
      const sub = "token" in message ? message.token?.sub : undefined;
      if (typeof sub === "string") forgetSessionsOf(sub);
    },
  },
  callbacks: {
    // Runs whenever a session is read. The session is checked against the account every time, so a
    // password change or "sign out everywhere" (both bump sessionVersion) ends it at once, and name or
    // email changes show up without signing in again.
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sessionVersion = user.sessionVersion ?? 0;
        token.sid = await startSession(user.id);
      }
      const state = await standingSessionState(token);
      if (!state) return null;
      // Auth.js is about to re-issue the cookie with a later expiry: the session's row follows.
      if (!user && typeof token.sid === "string") await renewSession(token.sid);
      token.email = state.email;
      token.name = state.displayName;
      token.username = state.username;
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.username = typeof token.username === "string" ? token.username : "";
      return session;
    },
  },
});
