import { hasOperatorToken } from "@/server/admin/operator-token";
import { notReadyBecause } from "@/server/readiness";
import { checkHealth } from "@/server/health";

// Always evaluated per request: a cached health answer would hide an outage.
export const dynamic = "force-dynamic";

/**
 * The whole system: 200 when Postgres and Redis answer and a worker is alive, 503 otherwise.
 * `?probe=web` checks only what this web instance needs to serve requests (Postgres, Redis): for load
 * balancers, which must not drop every web instance because the workers are down. It answers 503
 * while the instance warms up after start and once it is draining (SIGTERM received).
 *
 * Anyone gets the status and `{ ok }` (load balancers, the Docker HEALTHCHECK, scripts waiting for a
 * start); the report (which check failed, worker count, queue depths) goes to operators only, with the
 * METRICS_TOKEN bearer token.
 */
export async function GET(request: Request) {
  const webOnly = new URL(request.url).searchParams.get("probe") === "web";
  // A warming or draining instance is not ready, whatever else holds: answer at once (server/readiness.ts).
  const notReady = webOnly ? notReadyBecause() : null;
  if (notReady) return Response.json({ ok: false, [notReady]: true }, { status: 503, headers: { "cache-control": "no-store" } });
  const report = await checkHealth();
  const ok = webOnly ? report.postgres.ok && report.redis.ok : report.ok;
  const body = hasOperatorToken(request.headers) ? { ...report, ok } : { ok };
  return Response.json(body, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
