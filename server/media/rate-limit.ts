import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env.js";
import { createRedis } from "../jobs/contract";

// Uploads and remote copies per writer and hour, shared by every web instance through Redis (an
// in-memory limiter stands in while Redis is down, as for the other limits).

type Limits = { redis: Redis; uploads: RateLimiterRedis };
const globalForLimits = globalThis as unknown as { inkwellMediaLimits?: Limits };

function limits(): Limits {
  if (!globalForLimits.inkwellMediaLimits) {
    const redis = createRedis(env.REDIS_URL, "producer");
    redis.on("error", () => {});
    const points = env.MEDIA_UPLOADS_PER_HOUR;
    globalForLimits.inkwellMediaLimits = {
      redis,
      uploads: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${env.QUEUE_PREFIX}:rl:media-upload`,
        points,
        duration: 3600,
        insuranceLimiter: new RateLimiterMemory({ points, duration: 3600 }),
      }),
    };
  }
  return globalForLimits.inkwellMediaLimits;
}

/** Counts one upload (or remote copy) by the writer; the number of seconds to wait when over the limit. */
export async function limitImageUpload(ownerId: string): Promise<number | null> {
  try {
    await limits().uploads.consume(ownerId);
    return null;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

export async function closeMediaRateLimits(): Promise<void> {
  const current = globalForLimits.inkwellMediaLimits;
  if (!current) return;
  globalForLimits.inkwellMediaLimits = undefined;
  await current.redis.quit().catch(() => current.redis.disconnect());
}
