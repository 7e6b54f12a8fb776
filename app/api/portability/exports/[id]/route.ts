import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { seeOther } from "@/app/_lib/see-other";
import { getSession } from "@/server/auth/session";
import { openExportDownload } from "@/server/portability/export-service";

// The mailed download link: works for the signed-in owner, with the link's token, until it expires.

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const session = await getSession();
  if (!session) return seeOther("/sign-in", { callbackUrl: request.nextUrl.pathname + request.nextUrl.search });
  const token = request.nextUrl.searchParams.get("token") ?? "";
  const download = /^[0-9a-f-]{36}$/.test(id) && token ? await openExportDownload(session.user.id, id, token) : null;
  if (!download) return Response.json({ error: { message: "This download link has expired or is not yours. Ask for a new export from your settings." } }, { status: 404 });
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${download.fileName}"`,
      "cache-control": "private, no-store",
      ...(download.bytes !== null && { "content-length": String(download.bytes) }),
    },
  });
}
