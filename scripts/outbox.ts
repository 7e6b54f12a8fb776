// Reads the mail outbox (MAIL_OUTBOX_DIR: the .json summaries the worker writes next to each .eml when
// no SMTP_URL is set). Used by the end-to-end tests, the scale tests, the bench and the soak run to
// follow sign-up links the way a writer does. Node built-ins only.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface OutboxMail {
  to: string;
  subject: string;
  kind: string;
  link: string | null;
  text: string;
  at: string;
}

export async function readOutbox(dir: string): Promise<OutboxMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".json")).sort();
  const mails = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), "utf8")) as OutboxMail).map((p) => p.catch(() => null)),
  );
  return mails.filter((m): m is OutboxMail => m !== null);
}

/**
 * Waits for a mail of `kind` to `to` (the worker sends it asynchronously) and returns the token of its
 * link. `after` skips mails older than that time (an earlier link to the same address).
 */
export async function waitForMailToken(dir: string, to: string, kind: string, options: { after?: Date; timeoutMs?: number } = {}): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const recipient = to.trim().toLowerCase();
  for (;;) {
    const mail = (await readOutbox(dir))
      .filter((m) => m.to === recipient && m.kind === kind && (!options.after || new Date(m.at) >= options.after))
      .at(-1);
    const token = mail?.link ? new URL(mail.link).searchParams.get("token") : null;
    if (token) return token;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${recipient} in ${dir} within ${options.timeoutMs ?? 30_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
