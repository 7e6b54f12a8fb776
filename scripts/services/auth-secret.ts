// The development auth secret, kept in .data/ so sessions survive restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { DATA_DIR, REPO_ROOT } from "./common";

/**
 * AUTH_SECRET when set; else the development secret in .data/auth-secret, generated on first use.
 * Kept in a file so sessions survive restarts. Not for production (run.ts refuses that).
 */
export function ensureAuthSecret(file = path.join(DATA_DIR, "auth-secret")): { secret: string; description: string } {
  const configured = process.env.AUTH_SECRET;
  if (configured) return { secret: configured, description: "AUTH_SECRET" };
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return { secret: stored, description: `development secret from ${path.relative(REPO_ROOT, file)}` };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url"); // 43 characters
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, description: `development secret generated into ${path.relative(REPO_ROOT, file)}` };
}
