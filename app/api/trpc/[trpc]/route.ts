import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { limitBody } from "@/server/api/body-limit";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getRevalidatableSession } from "@/server/auth/session";
import { env } from "@/server/env.js";
import { logger } from "@/server/logger";
import { isForeignOrigin } from "@/server/security/origin";
import { startHttpTimer } from "@/server/metrics";
import { requestContext, requestIdFrom } from "@/server/request-context";

const handler = async (incoming: NextRequest) => {
  // Mutations from a browser must come from the app's own pages (server/security/origin.ts).
  const request = { method: incoming.method, origin: incoming.headers.get("origin"), host: incoming.headers.get("host") };
  if (isForeignOrigin(request, { appUrl: env.APP_URL, development: env.NODE_ENV === "development" })) {
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
