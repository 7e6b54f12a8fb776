import { hasOperatorToken, operatorTokenRequired } from "@/server/admin/operator-token";
import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text: queue depths, worker job durations and outcomes, API request durations, process stats. Operators only. */
export async function GET(request: Request) {
  if (!hasOperatorToken(request.headers)) return operatorTokenRequired();
  const { contentType, body } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
