import { NextRequest } from "next/server";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { sessionCookie } from "@/server/auth/session";
import { randomIp } from "./helpers";
import { CLIENT_ADDRESS_HEADER } from "@/server/security/client-address-header";

// Auth.js's own routes, called the way a browser calls them (CSRF token first, form posts, cookies kept),
// for tests of sign-in and sign-out themselves. Other tests build sessions directly.

const BASE = "http://127.0.0.1:3000";

/** A browser talking to Auth.js's routes: keeps the cookies it is sent, as a browser would. */
export class AuthBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly ip = randomIp()) {}

  async request(pathname: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers({ cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "), [CLIENT_ADDRESS_HEADER]: this.ip, origin: BASE });
    if (init.form) headers.set("content-type", "application/x-www-form-urlencoded");
    const request = new NextRequest(`${BASE}${pathname}`, { method: init.method ?? "GET", headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined });
    const response = await (request.method === "GET" ? GET(request) : POST(request));
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async post(pathname: string, form: Record<string, string>): Promise<Response> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    return this.request(pathname, { method: "POST", form: { ...form, csrfToken, callbackUrl: `${BASE}/dashboard` } });
  }

  sessionCookie(): { name: string; value: string } | null {
    return sessionCookie([...this.cookies].map(([name, value]) => ({ name, value })));
  }

  /** Signs in with email and password; returns the error code Auth.js sent back ("credentials", "rate_limited:…"), or null when a session cookie was set. */
  async signIn(email: string, password: string): Promise<string | null> {
    this.cookies.clear();
    const response = await this.post("/api/auth/callback/credentials", { email, password });
    const location = new URL(response.headers.get("location") ?? "/", BASE);
    if (this.sessionCookie()) return null;
    return location.searchParams.get("code") ?? location.searchParams.get("error") ?? `no session (${response.status})`;
  }
}
