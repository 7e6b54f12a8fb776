import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "../env.js";

// Links in newsletter mails. Confirmation links carry a random token (only its hash is stored, single
// use, expiring: see subscriptions.ts). Unsubscribe and manage links must work for as long as the mail
// sits in an inbox and need no row per recipient and post, so they are signed (HMAC with AUTH_SECRET)
// instead: a subscriber id or an address plus a signature nobody without the secret can make.

export const CONFIRMATION_LIFETIME_MS = 48 * 3600_000;

export function newConfirmationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function sign(purpose: string, value: string): string {
  return createHmac("sha256", env.AUTH_SECRET).update(`inkwell-newsletter:${purpose}:${value}`).digest("base64url");
}

function verify(purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(sign(purpose, value));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `subscriberId.postId.signature` (postId may be empty): ends one subscription, no sign-in needed. */
export function unsubscribeKey(subscriberId: string, postId: string | null): string {
  const value = `${subscriberId}.${postId ?? ""}`;
  return `${value}.${sign("unsubscribe", value)}`;
}

export function readUnsubscribeKey(key: string): { subscriberId: string; postId: string | null } | null {
  if (key.length > 300) return null;
  const [subscriberId, postId, signature, ...rest] = key.split(".");
  if (rest.length > 0 || !subscriberId || postId === undefined || !signature) return null;
  if (!verify("unsubscribe", `${subscriberId}.${postId}`, signature)) return null;
  const uuid = /^[0-9a-f-]{36}$/i;
  if (!uuid.test(subscriberId) || (postId !== "" && !uuid.test(postId))) return null;
  return { subscriberId, postId: postId || null };
}

/** `base64url(email).signature`: shows and ends every subscription of one address. */
export function manageKey(email: string): string {
  const value = Buffer.from(email).toString("base64url");
  return `${value}.${sign("manage", value)}`;
}

export function readManageKey(key: string): string | null {
  if (key.length > 600) return null;
  const [value, signature, ...rest] = key.split(".");
  if (rest.length > 0 || !value || !signature || !verify("manage", value, signature)) return null;
  return Buffer.from(value, "base64url").toString();
}

export function appUrl(pathname: string, params: Record<string, string> = {}): string {
  const url = new URL(pathname, env.APP_URL);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export const confirmUrl = (token: string) => appUrl("/subscribe/confirm", { token });
export const unsubscribeUrl = (subscriberId: string, postId: string | null) => appUrl("/unsubscribe", { key: unsubscribeKey(subscriberId, postId) });
/** The List-Unsubscribe address: a POST to it unsubscribes (RFC 8058); a GET shows the page. */
export const oneClickUnsubscribeUrl = (subscriberId: string, postId: string | null) =>
  appUrl("/unsubscribe/one-click", { key: unsubscribeKey(subscriberId, postId) });
export const manageUrl = (email: string) => appUrl("/subscriptions", { key: manageKey(email) });
