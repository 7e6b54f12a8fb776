import { NextResponse, type NextRequest } from "next/server";

// A Content-Security-Policy with a fresh nonce per page request: only scripts carrying it run, so
// markup that slipped into a page could not execute. Next.js puts the nonce on its own scripts when it
// finds the policy on the request. Styles stay 'unsafe-inline' (no script runs from a style); images
// may come from any https origin, since writers embed images by URL.

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets Next's nonce-bearing loader add its chunks; 'unsafe-eval' only for dev's HMR.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Bull Board's page (/api/admin/queues) loads its own scripts from 'self' and carries no nonce, so it
 * gets the same policy with scripts from 'self' instead (and the stylesheet and fonts its page links).
 */
function queueBoardPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
    "img-src 'self' data:",
    "font-src 'self' data: https://fonts.gstatic.com",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Whether the path's %-escapes decode (a "%zz" or an invalid UTF-8 sequence such as "%c0%af" does not). */
function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function proxy(request: NextRequest) {
  // Next's router fails on such a path with a bare 500 (its 400 page does not exist in the App Router).
  if (!isDecodablePath(request.nextUrl.pathname)) {
    return new NextResponse("This address is not valid.", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" },
    });
  }
  if (request.nextUrl.pathname.startsWith("/api/admin/")) {
    const response = NextResponse.next();
    response.headers.set("content-security-policy", queueBoardPolicy());
    return response;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Every page, browser prefetches included (Purpose/Sec-Purpose: prefetch get full HTML, shown as it
  // was fetched), feeds, the sitemap, Auth.js's own pages and the queue dashboard. Next's own router
  // prefetches (next-router-prefetch with RSC: 1) are React payloads, not HTML: running the proxy on
  // them stalled client navigations, so only a router prefetch without RSC (which gets HTML) is kept.
  // Not the JSON APIs (no HTML; next.config.mjs gives every response a base policy) nor static files.
  // Also any API path with a "%" in it, to refuse malformed ones (only there: the proxy buffers request
  // bodies, which the tRPC route's own size limit should see first).
  matcher: [
    { source: "/((?!api/|media/|_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] },
    {
      source: "/((?!api/|media/|_next/static|_next/image|favicon.ico).*)",
      has: [{ type: "header", key: "next-router-prefetch" }],
      missing: [{ type: "header", key: "rsc" }],
    },
    "/api/auth/:path*",
    "/api/admin/:path*",
    "/api/:path(.*%.*)",
  ],
};
