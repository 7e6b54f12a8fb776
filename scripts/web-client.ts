import { waitForMailToken } from "./outbox";

// An HTTP client that talks to InkWell as a browser does: a cookie jar, the same-origin Origin header
// the tRPC route requires, superjson envelopes, and Auth.js's credentials sign-in. Used by the scale
// tests and the soak run.

export class TrpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

interface TrpcEnvelope<T> {
  result?: { data?: { json?: T } };
  error?: { json?: { message?: string; data?: { code?: string } } };
}

/** A cookie jar with tRPC and sign-in helpers. The same client can talk to several instances. */
export class WebClient {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request (e.g. an X-Forwarded-For of its own, as if behind a proxy). */
  constructor(private readonly headers: Record<string, string> = {}) {}

  /** Cookie header for requests; set-cookie answers update the jar whichever instance sent them. */
  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  async request(baseUrl: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    // Same-origin, as the app's own pages send it (the tRPC route refuses foreign origins).
    if (init.method === "POST") headers.set("origin", baseUrl);
    const res = await fetch(`${baseUrl}${path}`, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    this.remember(res);
    return res;
  }

  private async unwrap<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: TrpcEnvelope<T>;
    try {
      body = JSON.parse(text) as TrpcEnvelope<T>;
    } catch {
      throw new TrpcError(res.status, "NOT_JSON", text.slice(0, 500));
    }
    if (!res.ok || body.error) {
      throw new TrpcError(res.status, body.error?.json?.data?.code ?? "UNKNOWN", body.error?.json?.message ?? text.slice(0, 500));
    }
    return body.result?.data?.json as T;
  }

  /** A tRPC mutation: POST /api/trpc/<path> with a superjson body {"json": input}. */
  async mutation<T>(baseUrl: string, procedure: string, input: unknown): Promise<T> {
    const res = await this.request(baseUrl, `/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
    return this.unwrap<T>(res);
  }

  /** A tRPC query: GET /api/trpc/<path>?input=<URL-encoded {"json": input}>. */
  async query<T>(baseUrl: string, procedure: string, input: unknown): Promise<T> {
    const res = await this.request(baseUrl, `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
    return this.unwrap<T>(res);
  }

  /** Auth.js credentials sign-in: CSRF token (and its cookie), then the form post. */
  async signIn(baseUrl: string, email: string, password: string): Promise<void> {
    await this.postCredentials(baseUrl, "credentials", { email, password });
  }

  /**
   * Follows the sign-up link mailed to `email` (read from the outbox the worker writes to, MAIL_OUTBOX_DIR),
   * with the sign-up's password, as /verify-email's form does: the address is verified and this client
   * signed in.
   */
  async verifyEmail(baseUrl: string, email: string, password: string, outboxDir: string): Promise<void> {
    const token = await waitForMailToken(outboxDir, email, "verify-email");
    await this.confirmEmail(baseUrl, token, password);
  }

  /** What /verify-email's form does with the token of a mailed sign-up link and the sign-up's password. */
  async confirmEmail(baseUrl: string, token: string, password: string): Promise<void> {
    await this.postCredentials(baseUrl, "email-token", { token, password });
  }

  /** users.register, then the mailed link: a verified writer, signed in. */
  async signUp(baseUrl: string, writer: { email: string; username: string; displayName: string; password: string }, outboxDir: string): Promise<void> {
    await this.mutation(baseUrl, "users.register", writer);
    await this.verifyEmail(baseUrl, writer.email, writer.password, outboxDir);
  }

  private async postCredentials(baseUrl: string, provider: string, fields: Record<string, string>): Promise<void> {
    const csrfRes = await this.request(baseUrl, "/api/auth/csrf");
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const res = await this.request(baseUrl, `/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: `${baseUrl}/dashboard` }).toString(),
    });
    await res.arrayBuffer();
    const location = res.headers.get("location") ?? "";
    if (res.status !== 302 || location.includes("error=")) throw new Error(`sign-in failed: ${res.status} ${location}`);
    if (!this.hasCookie("authjs.session-token")) throw new Error("sign-in set no session cookie");
  }
}

