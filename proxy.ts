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

export function proxy(request: NextRequest) {
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
  // Pages only: API routes, static assets and prefetches carry no inline script.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|feed.xml|sitemap.xml|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
