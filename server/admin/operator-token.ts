import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../env.js";

// The operators' endpoints (/api/metrics, the full /api/health report) answer only requests carrying
// METRICS_TOKEN as a bearer token (Prometheus: `authorization: { credentials: … }`). They describe the
// system (queue depths, worker counts, request rates) and cost a Redis and Postgres round trip each.

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Whether `headers` carry the operators' token; always false while METRICS_TOKEN is unset. */
export function hasOperatorToken(headers: Headers, token = env.METRICS_TOKEN): boolean {
  if (!token) return false;
  const match = /^Bearer ([^\s]+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** The answer to a request without the token. */
export function operatorTokenRequired(): Response {
  return Response.json(
    { error: "This endpoint is for operators: send the token set in METRICS_TOKEN as a bearer token." },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="inkwell-operators"', "cache-control": "no-store" } },
  );
}
