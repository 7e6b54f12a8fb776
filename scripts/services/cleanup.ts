// Clean-up after test runs: the Redis keys of a run's queue prefix.
import { Redis } from "ioredis";

/** Deletes every key under `${prefix}:` (a test run's BullMQ queues). Returns how many. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("deleteRedisPrefix needs a non-empty prefix");
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {});
  let deleted = 0;
  try {
    await client.connect();
    // Escape glob characters so a prefix such as "{inkwell-test-ab12}" matches only itself.
    const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}:*`;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
  return deleted;
}
