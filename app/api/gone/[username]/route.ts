import { isUsernameHeld } from "@/server/users/username-holds";

// Where a deleted writer's pages send readers and crawlers: 410 Gone (the pages themselves can only
// answer 404, so they redirect here while the username is held, 30 days after the deletion).

export async function GET(_request: Request, { params }: { params: Promise<{ username: string }> }): Promise<Response> {
  const { username } = await params;
  const gone = /^[a-z0-9_]{3,30}$/.test(username) && (await isUsernameHeld(username));
  const message = gone ? "This writer deleted their account; their pages are gone." : "Not found.";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${gone ? "Gone" : "Not found"} · InkWell</title></head><body><main><h1>${gone ? "Gone" : "Not found"}</h1><p>${message}</p><p><a href="/">InkWell</a></p></main></body></html>`;
  return new Response(html, { status: gone ? 410 : 404, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" } });
}
