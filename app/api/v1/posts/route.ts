import { listPosts, listQuerySchema, queryOf, respond } from "@/server/api/rest/v1";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return respond(() => listPosts(listQuerySchema.parse(queryOf(request))));
}
