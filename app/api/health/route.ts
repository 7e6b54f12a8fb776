import { checkHealth } from "@/server/health";

// Always evaluated per request: a cached health answer would hide an outage.
export const dynamic = "force-dynamic";

/** 200 when Postgres and Redis answer, 503 otherwise; the body says which failed and the queue depths. */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
