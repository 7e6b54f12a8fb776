import type { NextRequest } from "next/server";
import { handlers } from "@/server/auth";
import { env } from "@/server/env.js";

// Auth.js builds its redirects and links from the request's URL. Next's URL names the address the
// server listens on rather than the public one, and a NextRequest rewrites 127.0.0.1 and [::1] to
// "localhost" in its URL. So Auth.js is handed a plain Request at APP_URL, and every absolute URL it
// makes starts with APP_URL. Auth.js's own AUTH_URL would be re-parsed into a NextRequest (and
// rewritten the same way): APP_URL is the one setting, so AUTH_URL is dropped.
delete process.env.AUTH_URL;
delete process.env.NEXTAUTH_URL;

function atAppUrl(request: NextRequest): NextRequest {
  const { pathname, search } = new URL(request.url);
  const atPublicUrl = new Request(new URL(`${pathname}${search}`, env.APP_URL), request);
  // Typed for NextRequest, but without AUTH_URL next-auth reads only the standard Request fields.
  return atPublicUrl as NextRequest;
}

export const GET = (request: NextRequest) => handlers.GET(atAppUrl(request));
export const POST = (request: NextRequest) => handlers.POST(atAppUrl(request));
