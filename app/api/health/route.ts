import { isDraining } from "@/server/draining";
import { checkHealth } from "@/server/health";

// Always evaluated per request: a cached health answer would hide an outage.
export const dynamic = "force-dynamic";

/**
 * The whole system: 200 when Postgres and Redis answer and a worker is alive, 503 otherwise, with the
 * failed check and the queue depths in the body. `?probe=web` checks only what this web instance needs
 * to serve requests (Postgres, Redis): for load balancers, which must not drop every web instance
 * because the workers are down. Both answer 503 once the instance is draining (SIGTERM received).
 */
export async function GET(request: Request) {
  const webOnly = new URL(request.url).searchParams.get("probe") === "web";
  // A draining instance is not ready, whatever else holds: answer at once (server/draining.ts).
  if (webOnly && isDraining()) return Response.json({ ok: false, draining: true }, { status: 503, headers: { "cache-control": "no-store" } });
  const report = await checkHealth();
  const ok = webOnly ? report.postgres.ok && report.redis.ok : report.ok;
  return Response.json(report, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
