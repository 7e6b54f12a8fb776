import { handleRevalidation } from "@/server/cache/revalidate-route";

// Called only by this same process (server/cache/invalidation.ts, with a per-process secret) to drop
// reading-cache entries after the worker publishes; answers 404 to everyone else.
export function POST(request: Request): Promise<Response> {
  return handleRevalidation(request);
}
