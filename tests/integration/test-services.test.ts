// How the test command finds its database and Redis when nothing is configured (scripts/services/).
// The shared PostgreSQL and Redis of the machine keep running: INKWELL_LOCAL_POSTGRES_URL and
// INKWELL_LOCAL_REDIS_URL point the "already running here" probes at a port nothing listens on.
import postgres from "postgres";
import { afterEach, describe, expect, it, vi } from "vitest";

import { freePort, postgresAnswers, requireTestServer, startTestDatabase, startTestRedis, testDatabaseMode } from "../../scripts/services";

afterEach(() => vi.unstubAllEnvs());

/** A URL on a loopback port nothing listens on (free a moment ago). */
async function nowhere(scheme: "postgres" | "redis"): Promise<string> {
  const port = await freePort();
  return scheme === "postgres" ? `postgres://postgres@127.0.0.1:${port}/postgres` : `redis://127.0.0.1:${port}`;
}

describe("TEST_DATABASE", () => {
  it("accepts unset, auto, embedded and server, and refuses anything else by name", () => {
    vi.stubEnv("TEST_DATABASE", "");
    expect(testDatabaseMode()).toBe("auto");
    vi.stubEnv("TEST_DATABASE", "Embedded");
    expect(testDatabaseMode()).toBe("embedded");
    vi.stubEnv("TEST_DATABASE", "server");
    expect(testDatabaseMode()).toBe("server");
    vi.stubEnv("TEST_DATABASE", "pglite");
    expect(() => testDatabaseMode()).toThrow(/TEST_DATABASE must be "embedded", "server" or unset \(auto\), not "pglite"/);
  });

  it("auto: with no TEST_DATABASE_URL and no server answering, starts a migrated embedded PGlite and removes it at stop", async () => {
    vi.stubEnv("TEST_DATABASE", "");
    vi.stubEnv("TEST_DATABASE_URL", "");
    vi.stubEnv("INKWELL_LOCAL_POSTGRES_URL", await nowhere("postgres"));
    const lines: string[] = [];
    const database = await startTestDatabase({ log: (line) => lines.push(line) });
    try {
      expect(database.embedded).toBe(true);
      expect(lines.join("\n")).toMatch(/no PostgreSQL answers at .*: using an embedded PGlite/);
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
        expect(row!.n).toBeGreaterThan(0);
      } finally {
        await sql.end();
      }
    } finally {
      await database.stop();
    }
    expect(await postgresAnswers(database.url, 1)).toBe(false);
  }, 60_000);

  it("server: fails with how to get PostgreSQL when none answers", async () => {
    vi.stubEnv("TEST_DATABASE", "server");
    vi.stubEnv("TEST_DATABASE_URL", await nowhere("postgres"));
    await expect(startTestDatabase({ log: () => {} })).rejects.toThrow(/TEST_DATABASE=server, but no PostgreSQL answers[\s\S]*apt-get install postgresql[\s\S]*TEST_DATABASE_URL/);
  });

  it("a suite that needs a server refuses the embedded mode and a missing server, saying what to do", async () => {
    vi.stubEnv("TEST_DATABASE", "embedded");
    await expect(requireTestServer("test:scale", "reasons")).rejects.toThrow(/test:scale needs a PostgreSQL server \(reasons\); TEST_DATABASE=embedded cannot run it/);
    vi.stubEnv("TEST_DATABASE", "");
    vi.stubEnv("TEST_DATABASE_URL", await nowhere("postgres"));
    await expect(requireTestServer("test:scale", "reasons")).rejects.toThrow(/none answers at [\s\S]*apt-get install postgresql/);
  });
});

describe("Redis for tests", () => {
  it("starts redis-server on a free port when no Redis answers, and stops it", async () => {
    vi.stubEnv("REDIS_URL", "");
    vi.stubEnv("INKWELL_LOCAL_REDIS_URL", await nowhere("redis"));
    const redis = await startTestRedis({ log: () => {} });
    try {
      expect(redis.embedded).toBe(true);
      expect(redis.description).toMatch(/redis-server started here/);
    } finally {
      await redis.stop();
    }
  });

  it("says how to get Redis when none answers and redis-server is not installed", async () => {
    vi.stubEnv("REDIS_URL", "");
    vi.stubEnv("INKWELL_LOCAL_REDIS_URL", await nowhere("redis"));
    vi.stubEnv("PATH", "/nonexistent");
    await expect(startTestRedis({ log: () => {} })).rejects.toThrow(/redis-server is not installed[\s\S]*apt-get install redis-server/);
  });
});
