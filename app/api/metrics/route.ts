import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text: queue depths, worker job durations and outcomes, API request durations, process stats. */
export async function GET() {
  const { contentType, body } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
