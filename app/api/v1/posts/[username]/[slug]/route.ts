import { getPost, postSurrogateKeys, respond } from "@/server/api/rest/v1";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ username: string; slug: string }> }) {
  const { username, slug } = await params;
  return respond(() => getPost(username, slug), { surrogateKeys: postSurrogateKeys });
}
