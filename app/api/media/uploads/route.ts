import { getSession } from "@/server/auth/session";
import { env } from "@/server/env.js";
import { logger } from "@/server/logger";
import { acceptUpload, UploadRefusedError } from "@/server/media/upload";
import { isForeignOrigin } from "@/server/security/origin";

// The editor's upload: the file's bytes as the request body (no multipart, nothing the browser says
// about the file is used), streamed and cut off past MEDIA_MAX_UPLOAD_BYTES. Answers the image row;
// the worker's progress arrives on media.onStatusChange.

export const dynamic = "force-dynamic";

const refuse = (message: string, status: number, headers: Record<string, string> = {}) =>
  Response.json({ error: { message } }, { status, headers });

export async function POST(request: Request): Promise<Response> {
  if (isForeignOrigin({ method: "POST", origin: request.headers.get("origin"), host: request.headers.get("host") }, { appUrl: env.APP_URL, development: env.NODE_ENV === "development" })) {
    return refuse("Cross-site requests are not allowed.", 403);
  }
  const session = await getSession();
  if (!session) return refuse("Sign in to upload images.", 401);
  const declared = request.headers.get("content-length");
  const declaredBytes = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
  try {
    const image = await acceptUpload(session.user.id, request.body, declaredBytes);
    return Response.json({ image }, { status: 201 });
  } catch (err) {
    if (err instanceof UploadRefusedError) {
      return refuse(err.message, err.status, err.retryAfterSeconds ? { "retry-after": String(err.retryAfterSeconds) } : {});
    }
    logger.error({ err, component: "media" }, "upload failed");
    return refuse("The upload could not be stored just now. Try again in a moment.", 503);
  }
}
