import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { userEmailTokenSchema, userSignInSchema } from "@/lib/validations/user";
import { env } from "../env.js";
import { logger } from "../logger";
import { RateLimitedError, clientIp, limitSignInAttempt, recordSignInResult } from "../security/rate-limit";
import { authenticate, confirmEmailVerification } from "../users/service";
import { standingSessionState } from "./session-check";

/** Reaches the sign-in form as `code`: "rate_limited:<seconds>". */
class RateLimitedSignIn extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `rate_limited:${retryAfterSeconds}`;
  }
}

// Auth.js (next-auth v5) with email + password, and the single-use sign-up link ("email-token"). Credentials sign-in requires JWT sessions; the token
// carries only the writer's id and names, never the password hash.

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
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
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
        try {
          await limitSignInAttempt(clientIp(request.headers), email);
        } catch (err) {
          if (err instanceof RateLimitedError) throw new RateLimitedSignIn(err.retryAfterSeconds);
          throw err;
        }
        const user = await authenticate(email, password);
        await recordSignInResult(email, user !== null);
        if (!user) return null;
        return { id: user.id, email: user.email, name: user.displayName, username: user.username, sessionVersion: user.sessionVersion };
      },
    }),
    // The sign-up link: /verify-email POSTs its token here (never on GET: mail scanners prefetch links).
    // Using the single-use token verifies the address and signs the writer in.
    Credentials({
      id: "email-token",
      name: "Email link",
      credentials: { token: { label: "Token", type: "text" } },
      async authorize(raw) {
        const parsed = userEmailTokenSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await confirmEmailVerification(parsed.data.token);
        if (!user) return null;
        return { id: user.id, email: user.email, name: user.displayName, username: user.username, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    // Runs whenever a session is read. The session is checked against the account every time, so a
    // password change or "sign out everywhere" (both bump sessionVersion) ends it at once, and name or
    // email changes show up without signing in again.
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sessionVersion = user.sessionVersion ?? 0;
      }
      const state = await standingSessionState(token);
      if (!state) return null;
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
