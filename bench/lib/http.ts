import { randomBytes } from "node:crypto";
import { waitForMailToken } from "../../scripts/outbox";

// Setup-time HTTP helpers (fetch): sign-up through tRPC, sign-in through next-auth's credentials
// endpoint, and single tRPC calls. The measured load uses bench/lib/load.ts instead.

export interface Writer {
  index: number;
  email: string;
  username: string;
  password: string;
  /** The Cookie header value carrying the next-auth session. */
  cookie: string;
}

/** A distinct documentation-range (RFC 3849) address per registration: the sign-up limit is 20/hour per address. */
export function fakeClientAddress(i: number): string {
  return `2001:db8::${(i + 1).toString(16)}`;
}

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!.trim()).filter((c) => c.includes("="));
}

interface TrpcEnvelope {
  result?: { data?: { json?: unknown } };
  error?: { json?: { message?: string; data?: { code?: string } } };
}

export class TrpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** One tRPC mutation over HTTP (superjson envelope); returns the procedure's JSON output. */
export async function trpcMutation<T>(
  baseUrl: string,
  procedure: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: JSON.stringify({ json: input }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as TrpcEnvelope;
  if (!res.ok || body.error) {
    throw new TrpcError(res.status, body.error?.json?.data?.code, `${procedure}: ${res.status} ${body.error?.json?.message ?? ""}`);
  }
  return body.result?.data?.json as T;
}

/** Registers a writer (users.register) and follows the mailed sign-up link (next-auth "email-token"); returns their session cookie. */
export async function signUpAndIn(baseUrl: string, index: number, runId: string, outboxDir: string): Promise<Writer> {
  const username = `bench_${runId}_${index}`.slice(0, 30);
  const email = `${username}@bench.example.com`;
  const password = `Bench-${randomBytes(9).toString("base64url")}-${index}`;
  const address = fakeClientAddress(index);
  await trpcMutation<{ status: string }>(
    baseUrl,
    "users.register",
    { email, username, displayName: `Bench writer ${index}`, password },
    { "x-forwarded-for": address },
  );
  // The worker mails the sign-up link to the outbox; following it (Auth.js "email-token") verifies and signs in.
  const token = await waitForMailToken(outboxDir, email, "verify-email", { timeoutMs: 60_000 });

  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`, { signal: AbortSignal.timeout(30_000) });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookies = cookiePairs(csrfRes);
  const signIn = await fetch(`${baseUrl}/api/auth/callback/email-token`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: csrfCookies.join("; "),
      origin: baseUrl,
      "x-forwarded-for": address,
    },
    body: new URLSearchParams({ token, password, csrfToken, callbackUrl: `${baseUrl}/` }).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await signIn.arrayBuffer();
  const session = cookiePairs(signIn).filter((c) => c.includes("session-token"));
  if (session.length === 0) {
    throw new Error(`sign-in of ${email} gave no session cookie (status ${signIn.status}, location ${signIn.headers.get("location")})`);
  }
  return { index, email, username, password, cookie: session.join("; ") };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
  });
  await Promise.all(lanes);
  return out;
}
