import { queryOf, respond, search, searchQuerySchema } from "@/server/api/rest/v1";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return respond(() => search(searchQuerySchema.parse(queryOf(request))));
}
