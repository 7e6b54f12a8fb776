import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env.js";
import { logger as rootLogger } from "../logger";

// Outbound mail, used by the worker only. With SMTP_URL it goes to that server; without it (development,
// tests, or MAIL_OUTBOX_DIR set explicitly) each message is written to the outbox directory as an .eml
// file (nodemailer's stream transport builds the real MIME message) plus a .json summary, and its link
// is logged, so sign-up works with no mail server at all.

const logger = rootLogger.child({ component: "mail" });

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What kind of mail (for the outbox summary and the logs). */
  kind: string;
  /** The link the mail carries, if any (logged in outbox mode, kept in the summary). */
  link?: string;
}

/** The .json summary written next to each .eml in outbox mode (tests and developers read it). */
export interface OutboxEntry {
  to: string;
  from: string;
  subject: string;
  kind: string;
  link: string | null;
  text: string;
  at: string;
  messageId: string;
}

export const DEFAULT_OUTBOX_DIR = ".data/outbox";

export function outboxDir(): string | null {
  if (env.SMTP_URL) return null; // SMTP wins when both are set
  // A directory of the operator's at run time: not something for the build's file tracing to follow
  // (it would copy the whole project into the standalone output).
  return path.resolve(/*turbopackIgnore: true*/ env.MAIL_OUTBOX_DIR ?? DEFAULT_OUTBOX_DIR);
}

const globalForMail = globalThis as unknown as { inkwellMailer?: Transporter };

function transporter(): Transporter {
  if (!globalForMail.inkwellMailer) {
    globalForMail.inkwellMailer = env.SMTP_URL
      ? nodemailer.createTransport(env.SMTP_URL)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }
  return globalForMail.inkwellMailer;
}

/** Sends one mail; throws on failure so the job is retried. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const info = await transporter().sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  const dir = outboxDir();
  if (!dir) {
    logger.info({ kind: mail.kind, messageId: info.messageId }, "mail sent");
    return;
  }
  await mkdir(dir, { recursive: true });
  const base = `${new Date().toISOString().replaceAll(":", "-")}-${info.messageId.replace(/[^a-zA-Z0-9.-]/g, "")}`;
  // streamTransport with buffer: true hands back the whole MIME message as a Buffer.
  await writeFile(path.join(dir, `${base}.eml`), info.message as Buffer);
  const entry: OutboxEntry = {
    to: mail.to,
    from: env.MAIL_FROM,
    subject: mail.subject,
    kind: mail.kind,
    link: mail.link ?? null,
    text: mail.text,
    at: new Date().toISOString(),
    messageId: info.messageId,
  };
  await writeFile(path.join(dir, `${base}.json`), `${JSON.stringify(entry, null, 2)}\n`);
  logger.info({ kind: mail.kind, to: mail.to, link: mail.link, file: path.join(dir, `${base}.eml`) }, "mail written to the outbox (no SMTP_URL)");
}

export function closeMail(): void {
  globalForMail.inkwellMailer?.close();
  globalForMail.inkwellMailer = undefined;
}
