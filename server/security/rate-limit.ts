import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";
import { env } from "../env.js";
import { createRedis } from "../jobs/contract";
import { clientIp, clientRateLimitKey } from "./client-address";

export { clientIp, clientRateLimitKey };

// Rate limits for sign-in, sign-up, mail-sending and preview requests, shared by every web instance through Redis. If Redis is down,
// each instance falls back to an in-memory limiter rather than letting guesses through unlimited.

type Limiters = {
  redis: Redis;
  signInByIp: RateLimiterRedis;
  signInFailsByIp: RateLimiterRedis;
  signInFailsByAccountAndIp: RateLimiterRedis;
  signInFailsByAccount: RateLimiterRedis;
  passwordCheckByAccount: RateLimiterRedis;
  registerByIp: RateLimiterRedis;
  mailByIp: RateLimiterRedis;
  mailByAddress: RateLimiterRedis;
  previewByUser: RateLimiterRedis;
};
const globalForLimits = globalThis as unknown as { inkwellRateLimits?: Limiters };

function limiter(redis: Redis, keyPrefix: string, points: number, duration: number) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${env.QUEUE_PREFIX}:rl:${keyPrefix}`,
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ points, duration }),
  });
}

// Sign-in. Wrong passwords are counted per address, per account and address, and per account; only
// the first two refuse, so a stranger's guesses lock the stranger's address out, never the writer:
// a right password from an address with no failures is always let in.
/** Failed sign-ins from one address, over all accounts (password spraying). */
const SIGN_IN_FAILS_PER_IP = 30;
/** Failed sign-ins to one account from one address. */
const SIGN_IN_FAILS_PER_ACCOUNT_AND_IP = 5;
/** Failed sign-ins to one account from all addresses before attempts from failing addresses slow down. */
const SIGN_IN_FAILS_BEFORE_SLOWDOWN = 10;
const SLOWDOWN_STEP_MS = 250;
const SLOWDOWN_MAX_MS = 3_000;

function limiters(): Limiters {
  if (!globalForLimits.inkwellRateLimits) {
    const redis = createRedis(env.REDIS_URL, "producer");
    redis.on("error", () => {});
    globalForLimits.inkwellRateLimits = {
      redis,
      // Every attempt hashes with argon2: a bound on the work one address can ask for, right or wrong.
      signInByIp: limiter(redis, "signin-ip", 100, 10 * 60),
      signInFailsByIp: limiter(redis, "signin-fail-ip", SIGN_IN_FAILS_PER_IP, 60 * 60),
      signInFailsByAccountAndIp: limiter(redis, "signin-fail-pair", SIGN_IN_FAILS_PER_ACCOUNT_AND_IP, 15 * 60),
      signInFailsByAccount: limiter(redis, "signin-fail-email", 1_000_000, 15 * 60),
      // Current-password checks (change of password or email) by a signed-in session: 5 misses per 15 minutes.
      passwordCheckByAccount: limiter(redis, "password-check", 5, 15 * 60),
      registerByIp: limiter(redis, "register-ip", 20, 60 * 60), // 20 sign-ups per hour per address
      mailByIp: limiter(redis, "mail-ip", 20, 60 * 60), // 20 reset / change-email requests per hour per client
      // Every request that mails an address counts, whatever the account's state: at most 5 mails per
      // recipient per hour, and the count reveals nothing about registration.
      mailByAddress: limiter(redis, "mail-to", 5, 60 * 60),
      // The editor asks for a preview 400 ms after typing stops: 120 a minute is a writer pausing every
      // half second, and caps what one account can make the render threads do.
      previewByUser: limiter(redis, "preview-user", 120, 60),
    };
  }
  return globalForLimits.inkwellRateLimits;
}

/** Thrown when a limit is reached; says when to try again. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

async function consume(limit: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limit.consume(key);
  } catch (res) {
    if (res instanceof RateLimiterRes) throw new RateLimitedError(retryAfter(res));
    throw res;
  }
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
const pairKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

/**
 * Before checking a sign-in's password: refuses an address with too many failures (over all accounts,
 * or on this account), and slows down an address that has failed on an account under attack (many
 * failures from all addresses). An address with no failures is neither refused nor slowed.
 */
export async function limitSignInAttempt(ip: string, email: string): Promise<void> {
  const { signInByIp, signInFailsByIp, signInFailsByAccountAndIp, signInFailsByAccount } = limiters();
  await consume(signInByIp, ip);
  const [fromIp, fromPair, onAccount] = await Promise.all([
    signInFailsByIp.get(ip),
    signInFailsByAccountAndIp.get(pairKey(email, ip)),
    signInFailsByAccount.get(email.trim().toLowerCase()),
  ]);
  if (fromIp && fromIp.consumedPoints >= SIGN_IN_FAILS_PER_IP) throw new RateLimitedError(retryAfter(fromIp));
  if (fromPair && fromPair.consumedPoints >= SIGN_IN_FAILS_PER_ACCOUNT_AND_IP) throw new RateLimitedError(retryAfter(fromPair));
  const wait = signInSlowdownMs(onAccount?.consumedPoints ?? 0, fromPair?.consumedPoints ?? 0);
  if (wait > 0) await delay(wait);
}

/**
 * How long a sign-in waits before its password is checked: nothing from an address that has not failed
 * on this account; from one that has, a growing wait once the account has had many failures from all
 * addresses (a distributed guess), capped so the writer's own mistyping costs seconds, not minutes.
 */
export function signInSlowdownMs(accountFailures: number, addressFailuresOnAccount: number): number {
  const excess = accountFailures - SIGN_IN_FAILS_BEFORE_SLOWDOWN + 1;
  if (addressFailuresOnAccount === 0 || excess <= 0) return 0;
  return Math.min(SLOWDOWN_MAX_MS, excess * SLOWDOWN_STEP_MS);
}

/**
 * After checking the password: a failure counts against the address, the account and the pair; a
 * success clears only the pair (a writer's own typos), so an attacker's failures are not forgiven by
 * the writer signing in.
 */
export async function recordSignInResult(ip: string, email: string, ok: boolean): Promise<void> {
  const { signInFailsByIp, signInFailsByAccountAndIp, signInFailsByAccount } = limiters();
  if (ok) {
    await signInFailsByAccountAndIp.delete(pairKey(email, ip)).catch(() => {});
    return;
  }
  await Promise.all([
    signInFailsByIp.penalty(ip, 1),
    signInFailsByAccountAndIp.penalty(pairKey(email, ip), 1),
    signInFailsByAccount.penalty(email.trim().toLowerCase(), 1),
  ]).catch(() => {});
}

/**
 * tRPC guard for procedures that check the signed-in writer's current password (guessing it there is
 * guessing too, with a stolen session): counts the attempt against the account and the address before
 * the check; call `succeeded()` after it passed. Refuses (RATE_LIMITED) once the account has 5
 * attempts that did not succeed in 15 minutes.
 */
export async function limitPasswordCheck(headers: Headers, userId: string): Promise<{ succeeded(): Promise<void> }> {
  const { signInByIp, passwordCheckByAccount } = limiters();
  try {
    await consume(signInByIp, clientRateLimitKey(headers));
    await consume(passwordCheckByAccount, userId);
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw new AppError("RATE_LIMITED", `Too many password attempts. Try again in ${err.retryAfterSeconds} seconds.`);
    }
    throw err;
  }
  return {
    async succeeded() {
      await passwordCheckByAccount.delete(userId).catch(() => {});
    },
  };
}

/** tRPC guard for users.register. */
export async function limitRegistration(headers: Headers): Promise<void> {
  try {
    await consume(limiters().registerByIp, clientRateLimitKey(headers));
  } catch (err) {
    if (err instanceof RateLimitedError) throw new AppError("RATE_LIMITED", err.message);
    throw err;
  }
}

/**
 * tRPC guard for procedures that mail an address: per client (unless the caller has its own limit, as
 * sign-up does) and per recipient.
 */
export async function limitMailRequest(headers: Headers, recipient: string, options: { perIp?: boolean } = {}): Promise<void> {
  const { mailByIp, mailByAddress } = limiters();
  try {
    if (options.perIp !== false) await consume(mailByIp, clientRateLimitKey(headers));
    await consume(mailByAddress, recipient.trim().toLowerCase());
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw new AppError("RATE_LIMITED", `Too many emails asked for. Try again in ${err.retryAfterSeconds} seconds.`);
    }
    throw err;
  }
}

/** tRPC guard for posts.preview: renderings asked for per writer. */
export async function limitPreview(userId: string): Promise<void> {
  try {
    await consume(limiters().previewByUser, userId);
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw new AppError("RATE_LIMITED", `Too many previews asked for. Try again in ${err.retryAfterSeconds} seconds.`);
    }
    throw err;
  }
}

export async function closeRateLimits(): Promise<void> {
  const current = globalForLimits.inkwellRateLimits;
  if (!current) return;
  globalForLimits.inkwellRateLimits = undefined;
  await current.redis.quit().catch(() => current.redis.disconnect());
}
