import { getAuthor, respond } from "@/server/api/rest/v1";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  return respond(() => getAuthor(username));
}
