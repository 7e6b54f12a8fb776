import { UnrecoverableError } from "bullmq";
import { env } from "../env.js";
import type { SendMailPayload } from "../jobs/contract";
import { logger as rootLogger } from "../logger";
import { sendMail, type OutgoingMail } from "../mail/transport";
import { findMailRecipientByEmail, getMailRecipient, issueEmailToken } from "./service";

// The worker's side of the account mails: reads the account, issues the link's token (only its hash is
// stored), renders and sends. The web only enqueued ids, the same way whatever the account's state.

const logger = rootLogger.child({ component: "account-mail" });

function link(pathname: string, token: string): string {
  const url = new URL(pathname, env.APP_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * A plain mail: greeting, paragraphs, an optional button-like link; text and HTML from the same parts.
 * The link follows the paragraphs that lead to it; the "not you? ignore this" line always comes last.
 */
function compose(kind: string, to: string, subject: string, name: string, paragraphs: string[], action?: { label: string; href: string }): OutgoingMail {
  const lead = paragraphs.filter((p) => p !== ignore);
  const closing = paragraphs.filter((p) => p === ignore);
  const lines = [`Hello ${name},`, "", ...lead.flatMap((p) => [p, ""]), ...(action ? [`${action.label}: ${action.href}`, ""] : []), ...closing.flatMap((p) => [p, ""])];
  const text = [...lines, "— InkWell"].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(name)},</p>`,
    ...lead.map((p) => `<p>${escapeHtml(p)}</p>`),
    action ? `<p><a href="${escapeHtml(action.href)}">${escapeHtml(action.label)}</a></p>` : "",
    ...closing.map((p) => `<p>${escapeHtml(p)}</p>`),
    "<p>— InkWell</p>",
  ].join("\n");
  return { kind, to, subject, text, html, link: action?.href };
}

const ignore = "If this was not you, ignore this email: nothing changes.";

/** Sends one account mail. Returns what happened, for the job's result. */
export async function sendAccountMail(payload: SendMailPayload): Promise<string> {
  switch (payload.kind) {
    case "verify-email": {
      const user = await getMailRecipient(payload.userId);
      if (!user) return "skipped: no account";
      if (user.verified) return "skipped: already verified";
      const token = await issueEmailToken(user.id, "verify-email");
      await sendMail(
        compose("verify-email", user.email, "Confirm your email address for InkWell", user.displayName,
          ["Someone (hopefully you) created an InkWell account with this address. Confirm it to start writing. The link works once, for 24 hours.", ignore],
          { label: "Confirm your email address", href: link("/verify-email", token) }),
      );
      return "sent";
    }
    case "account-exists": {
      const user = await getMailRecipient(payload.userId);
      if (!user) return "skipped: no account";
      await sendMail(
        compose("account-exists", user.email, "Someone tried to sign up to InkWell with your address", user.displayName,
          [
            "Someone tried to create an InkWell account with this address, but you already have one.",
            `If it was you, sign in at ${new URL("/sign-in", env.APP_URL).toString()} — or, if you forgot your password, reset it:`,
            ignore,
          ],
          { label: "Reset your password", href: new URL("/forgot-password", env.APP_URL).toString() }),
      );
      return "sent";
    }
    case "reset-password": {
      const user = await findMailRecipientByEmail(payload.email);
      // Nobody to mail: the request got the same answer anyway.
      if (!user) return "skipped: no account";
      const token = await issueEmailToken(user.id, "reset-password");
      await sendMail(
        compose("reset-password", user.email, "Reset your InkWell password", user.displayName,
          ["Someone asked to reset the password of your InkWell account. The link works once, for one hour, and signs you out everywhere.", ignore],
          { label: "Choose a new password", href: link("/reset-password", token) }),
      );
      return "sent";
    }
    case "change-email": {
      const user = await getMailRecipient(payload.userId);
      if (!user) return "skipped: no account";
      const taken = await findMailRecipientByEmail(payload.newEmail);
      if (taken) {
        // Another account has this address: tell its owner, send no link.
        await sendMail(
          compose("email-in-use", payload.newEmail, "Someone tried to move an InkWell account to your address", taken.displayName,
            ["Someone tried to change the email of another InkWell account to this address, which already has an account (yours). Nothing changed.", ignore]),
        );
        return "sent: address in use";
      }
      const token = await issueEmailToken(user.id, "change-email", payload.newEmail);
      await sendMail(
        compose("change-email", payload.newEmail, "Confirm your new email address for InkWell", user.displayName,
          [`Confirm that your InkWell account should use this address instead of ${user.email}. The link works once, for one hour.`, ignore],
          { label: "Confirm the new address", href: link("/confirm-email", token) }),
      );
      return "sent";
    }
    default: {
      const unknown: never = payload;
      logger.error({ payload: unknown }, "unknown mail");
      throw new UnrecoverableError("unknown mail kind");
    }
  }
}
