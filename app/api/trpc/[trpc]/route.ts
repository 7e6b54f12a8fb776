import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { limitBody } from "@/server/api/body-limit";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getRevalidatableSession } from "@/server/auth/session";
import { env } from "@/server/env.js";
import { logger } from "@/server/logger";
import { startHttpTimer } from "@/server/metrics";
import { requestContext, requestIdFrom } from "@/server/request-context";

/**
 * Mutations from a browser must come from the app's own pages: a cross-site form or fetch carries a
 * foreign Origin. Clients that send no Origin (server-side callers, curl) are not browsers and carry no
 * cookies by accident.
 */
function isForeignOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  if (req.method !== "POST" || !origin) return false;
  return origin !== new URL(env.APP_URL).origin && origin !== req.nextUrl.origin;
}

const handler = async (incoming: NextRequest) => {
  if (isForeignOrigin(incoming)) {
    return Response.json({ error: { message: "Cross-site requests are not allowed." } }, { status: 403 });
  }
  const req = await limitBody(incoming);
  if (req instanceof Response) return req;
  const requestId = requestIdFrom(req.headers);
  const stopTimer = startHttpTimer("/api/trpc", incoming.method);
  const response = await requestContext.run({ requestId }, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: async () => createTRPCContext({ ...(await getRevalidatableSession()), headers: req.headers }),
      onError({ path, error }) {
        if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ err: error, path }, "tRPC procedure failed");
      },
    }),
  );
  response.headers.set("x-request-id", requestId);
  stopTimer(response.status);
  return response;
};

export { handler as GET, handler as POST };
