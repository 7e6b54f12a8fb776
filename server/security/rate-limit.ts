import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TRPCError } from "@trpc/server";
import { env } from "../env.js";
import { createRedis } from "../jobs/contract";
import { clientIp } from "./client-address";

export { clientIp };

// Rate limits for sign-in, sign-up and mail-sending requests, shared by every web instance through Redis. If Redis is down,
// each instance falls back to an in-memory limiter rather than letting guesses through unlimited.

type Limiters = {
  redis: Redis;
  signInByIp: RateLimiterRedis;
  signInByEmail: RateLimiterRedis;
  registerByIp: RateLimiterRedis;
  mailByIp: RateLimiterRedis;
  mailByAddress: RateLimiterRedis;
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

function limiters(): Limiters {
  if (!globalForLimits.inkwellRateLimits) {
    const redis = createRedis(env.REDIS_URL, "producer");
    redis.on("error", () => {});
    globalForLimits.inkwellRateLimits = {
      redis,
      signInByIp: limiter(redis, "signin-ip", 30, 10 * 60), // 30 attempts per 10 minutes per address
      signInByEmail: limiter(redis, "signin-email", 10, 15 * 60), // 10 failures per 15 minutes per account
      registerByIp: limiter(redis, "register-ip", 20, 60 * 60), // 20 sign-ups per hour per address
      mailByIp: limiter(redis, "mail-ip", 20, 60 * 60), // 20 reset / change-email requests per hour per client
      // Every request that mails an address counts, whatever the account's state: at most 5 mails per
      // recipient per hour, and the count reveals nothing about registration.
      mailByAddress: limiter(redis, "mail-to", 5, 60 * 60),
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
    if (res instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    throw res;
  }
}

/** Counts a sign-in attempt against the address and checks the account is not locked out. */
export async function limitSignInAttempt(ip: string, email: string): Promise<void> {
  const { signInByIp, signInByEmail } = limiters();
  await consume(signInByIp, ip);
  const account = await signInByEmail.get(email);
  if (account && account.remainingPoints <= 0) throw new RateLimitedError(Math.max(1, Math.ceil(account.msBeforeNext / 1000)));
}

/** Records a failed password for the account; a success clears its count. */
export async function recordSignInResult(email: string, ok: boolean): Promise<void> {
  const { signInByEmail } = limiters();
  if (ok) await signInByEmail.delete(email).catch(() => {});
  else await signInByEmail.penalty(email, 1).catch(() => {});
}

/** tRPC guard for procedures that check the current password (guessing it there is guessing too). */
export async function limitPasswordCheck(headers: Headers, email: string): Promise<void> {
  try {
    await limitSignInAttempt(clientIp(headers), email);
  } catch (err) {
    if (err instanceof RateLimitedError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message });
    throw err;
  }
}

/** tRPC guard for users.register. */
export async function limitRegistration(headers: Headers): Promise<void> {
  try {
    await consume(limiters().registerByIp, clientIp(headers));
  } catch (err) {
    if (err instanceof RateLimitedError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: err.message });
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
    if (options.perIp !== false) await consume(mailByIp, clientIp(headers));
    await consume(mailByAddress, recipient.trim().toLowerCase());
  } catch (err) {
    if (err instanceof RateLimitedError) {
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many emails asked for. Try again in ${err.retryAfterSeconds} seconds.` });
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
