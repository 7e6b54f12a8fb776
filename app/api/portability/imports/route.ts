import type { NextRequest } from "next/server";
import { getSession } from "@/server/auth/session";
import { env } from "@/server/env.js";
import { logger } from "@/server/logger";
import { createImport, declaredSizeRefusal, UploadTooLarge } from "@/server/portability/import-service";
import { isForeignOrigin } from "@/server/security/origin";

// The upload of an archive to import: the file is the raw request body (its name in X-File-Name).
// A declared size over IMPORT_MAX_BYTES is refused before a byte is read; a body that turns out larger
// than it declared (or declared none) is cut off at the limit while it streams.

const refuse = (status: number, message: string) => Response.json({ error: { message } }, { status });

export async function POST(request: NextRequest): Promise<Response> {
  if (isForeignOrigin({ method: "POST", origin: request.headers.get("origin"), host: request.headers.get("host") }, { appUrl: env.APP_URL, development: env.NODE_ENV === "development" })) {
    return refuse(403, "Cross-site requests are not allowed.");
  }
  const session = await getSession();
  if (!session) return refuse(401, "Sign in to import your posts.");
  const tooLarge = declaredSizeRefusal(request.headers.get("content-length"));
  if (tooLarge) return refuse(413, tooLarge);
  if (request.headers.get("content-length") === "0" || !request.body) return refuse(400, "The upload was empty: choose an export file to import.");
  const fileName = decodeURIComponent(request.headers.get("x-file-name") ?? "upload").replace(/[\u0000-\u001f]/g, "");
  try {
    const created = await createImport(session.user.id, fileName, request.body);
    return Response.json({ id: created.id }, { status: 202 });
  } catch (err) {
    if (err instanceof UploadTooLarge) return refuse(413, err.message);
    logger.error({ err }, "import upload failed");
    return refuse(500, "The upload could not be stored. Please try again in a moment.");
  }
}
