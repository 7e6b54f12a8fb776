import { checkHealth } from "@/server/health";

// Always evaluated per request: a cached health answer would hide an outage.
export const dynamic = "force-dynamic";

/**
 * The whole system: 200 when Postgres and Redis answer and a worker is alive, 503 otherwise, with the
 * failed check and the queue depths in the body. `?probe=web` checks only what this web instance needs
 * to serve requests (Postgres, Redis): for load balancers, which must not drop every web instance
 * because the workers are down.
 */
export async function GET(request: Request) {
  const report = await checkHealth();
  const webOnly = new URL(request.url).searchParams.get("probe") === "web";
  const ok = webOnly ? report.postgres.ok && report.redis.ok : report.ok;
  return Response.json(report, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
