import { EventEmitter, on } from "node:events";
import type { Redis } from "ioredis";
import { env } from "../env.js";
import { createRedis } from "../jobs/contract";
import { imageStatusChannel, imageStatusEventSchema, type ImageStatusEvent } from "../jobs/media-contract";

// One Redis subscriber per web process fans image status events out to every open page of their writer.

type Feed = { redis: Redis; emitter: EventEmitter };
const globalForFeed = globalThis as unknown as { inkwellImageFeed?: Feed };

function feed(): Feed {
  if (!globalForFeed.inkwellImageFeed) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    const redis = createRedis(env.REDIS_URL, "subscriber");
    redis.on("error", () => {});
    void redis.subscribe(imageStatusChannel(env.QUEUE_PREFIX)).catch(() => {});
    redis.on("message", (_channel: string, message: string) => {
      let parsed;
      try {
        parsed = imageStatusEventSchema.safeParse(JSON.parse(message));
      } catch {
        return;
      }
      if (parsed.success) emitter.emit(`owner:${parsed.data.ownerId}`, parsed.data);
    });
    globalForFeed.inkwellImageFeed = { redis, emitter };
  }
  return globalForFeed.inkwellImageFeed;
}

/** Resolves once the subscription is in place (tests wait for it before causing events). */
export async function imageFeedReady(): Promise<void> {
  const { redis } = feed();
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  await redis.subscribe(imageStatusChannel(env.QUEUE_PREFIX));
}

/** Status events of one writer's images, until `signal` aborts. */
export async function* imageStatusEvents(ownerId: string, signal: AbortSignal | undefined): AsyncGenerator<ImageStatusEvent> {
  const { emitter } = feed();
  for await (const [event] of on(emitter, `owner:${ownerId}`, { signal })) yield event as ImageStatusEvent;
}

export async function closeImageFeed(): Promise<void> {
  const current = globalForFeed.inkwellImageFeed;
  if (!current) return;
  globalForFeed.inkwellImageFeed = undefined;
  current.emitter.removeAllListeners();
  await current.redis.quit().catch(() => current.redis.disconnect());
}
