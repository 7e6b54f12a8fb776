import { queryOf, respond, search, searchQuerySchema } from "@/server/api/rest/v1";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  // Search answers depend on the query alone, but are never kept: any string makes a new one.
  return respond(() => search(searchQuerySchema.parse(queryOf(request))), { perRequest: true });
}
