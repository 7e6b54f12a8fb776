import { EventEmitter, on } from "node:events";
import type { Redis } from "ioredis";
import { env } from "../env.js";
import { createRedis, postStatusChannel, postStatusEventSchema, type PostStatusEvent } from "./contract";
import { sharedRedis } from "./redis";
import { parseJsonOrNull } from "@/lib/parse-json";

// One Redis subscriber per web process fans status events out to every open subscription, instead of a
// Redis connection per browser tab.

type Feed = { redis: Redis; emitter: EventEmitter };
const globalForFeed = globalThis as unknown as { inkwellStatusFeed?: Feed };

function feed(): Feed {
  if (!globalForFeed.inkwellStatusFeed) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0); // one listener per open page; there is no meaningful cap
    const redis = createRedis(env.REDIS_URL, "subscriber");
    redis.on("error", () => {}); // reconnects by itself; subscriptions are restored by ioredis
    void redis.subscribe(postStatusChannel(env.QUEUE_PREFIX)).catch(() => {});
    redis.on("message", (channel: string, message: string) => {
      emitter.emit(`channel:${channel}`, message);
      if (channel !== postStatusChannel(env.QUEUE_PREFIX)) return;
      const parsed = postStatusEventSchema.safeParse(parseJsonOrNull(message));
      if (parsed.success) emitter.emit(`author:${parsed.data.authorId}`, parsed.data);
    });
    // (Re)connected: listeners that keep derived state (the public cache) may have missed messages.
    redis.on("ready", () => emitter.emit("ready"));
    globalForFeed.inkwellStatusFeed = { redis, emitter };
  }
  return globalForFeed.inkwellStatusFeed;
}

/**
 * Every raw message on `channel`, through the feed's one subscriber connection (the public cache
 * listens here rather than opening a connection of its own), and every (re)connection.
 */
export function onFeedChannel(channel: string, onMessage: (message: string) => void, onReady: () => void): void {
  const { redis, emitter } = feed();
  if (channel !== postStatusChannel(env.QUEUE_PREFIX)) void redis.subscribe(channel).catch(() => {});
  emitter.on(`channel:${channel}`, onMessage);
  emitter.on("ready", onReady);
}

/** Tells the writer's open pages about a status change. Best effort: the page also refetches. */
export async function announcePostStatus(event: PostStatusEvent): Promise<void> {
  const redis = await sharedRedis();
  await redis.publish(postStatusChannel(env.QUEUE_PREFIX), JSON.stringify(event));
}

/** Status events for one author's posts, until `signal` aborts (the client went away). */
export async function* postStatusEvents(authorId: string, signal: AbortSignal | undefined): AsyncGenerator<PostStatusEvent> {
  const { emitter } = feed();
  for await (const [event] of on(emitter, `author:${authorId}`, { signal })) {
    yield event as PostStatusEvent;
  }
}

export async function closeStatusFeed(): Promise<void> {
  const current = globalForFeed.inkwellStatusFeed;
  if (!current) return;
  globalForFeed.inkwellStatusFeed = undefined;
  current.emitter.removeAllListeners();
  await current.redis.quit().catch(() => current.redis.disconnect());
}
