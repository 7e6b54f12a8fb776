import { UnrecoverableError } from "bullmq";
import escapeHtml from "escape-html";
import { env } from "../env.js";
import type { SendMailPayload } from "../jobs/contract";
import { logger as rootLogger } from "../logger";
import { sendMail, type OutgoingMail } from "../mail/transport";
import { findMailRecipientByEmail, getMailRecipient, issueEmailToken, type MailRecipient } from "./service";

// The worker's side of the account mails: reads the account, issues the link's token (only its hash is
// stored), renders and sends. The web only enqueued ids, the same way whatever the account's state.

const logger = rootLogger.child({ component: "account-mail" });

function link(pathname: string, token: string): string {
  const url = new URL(pathname, env.APP_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * The name to greet a recipient by: only a confirmed account's own name, to its own address. Sign-up is
 * open, so the name on a pending account (or on a request for a new address) is whatever a stranger
 * typed, and mailing it to an address would let anyone put their text in anyone's inbox.
 */
function greetingName(recipient: MailRecipient): string | null {
  return recipient.verified ? recipient.displayName : null;
}

/**
 * A plain mail: greeting, paragraphs, an optional button-like link; text and HTML from the same parts.
 * The link follows the paragraphs that lead to it; the "not you? ignore this" line always comes last.
 */
function compose(kind: string, to: string, subject: string, name: string | null, paragraphs: string[], action?: { label: string; href: string }): OutgoingMail {
  const greeting = name === null ? "Hello," : `Hello ${name},`;
  const lead = paragraphs.filter((p) => p !== ignore);
  const closing = paragraphs.filter((p) => p === ignore);
  const lines = [greeting, "", ...lead.flatMap((p) => [p, ""]), ...(action ? [`${action.label}: ${action.href}`, ""] : []), ...closing.flatMap((p) => [p, ""])];
  const text = [...lines, "— InkWell"].join("\n");
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
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
        compose("verify-email", user.email, "Confirm your email address for InkWell", null,
          [
            "Someone (hopefully you) created an InkWell account with this address. Confirm it with the password you chose to start writing. The link works once, for 24 hours.",
            "If you signed up more than once, only the latest sign-up can be confirmed, with its password.",
            ignore,
          ],
          { label: "Confirm your email address", href: link("/verify-email", token) }),
      );
      return "sent";
    }
    case "account-exists": {
      const user = await getMailRecipient(payload.userId);
      if (!user) return "skipped: no account";
      await sendMail(
        compose("account-exists", user.email, "Someone tried to sign up to InkWell with your address", greetingName(user),
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
      if (!user.verified) {
        // A pending sign-up is confirmed by its own link and password only: a reset would confirm whatever
        // registration someone made with this address. Say how to finish instead; send no link.
        await sendMail(
          compose("finish-sign-up", user.email, "Finish signing up to InkWell", null,
            [
              "Someone asked to reset the password of an InkWell account with this address, but the sign-up was never confirmed, so there is no password to reset yet.",
              `To use InkWell with this address, sign up again at ${new URL("/sign-up", env.APP_URL).toString()} and follow the link we mail you.`,
              ignore,
            ]),
        );
        return "sent: sign-up not confirmed";
      }
      const token = await issueEmailToken(user.id, "reset-password");
      await sendMail(
        compose("reset-password", user.email, "Reset your InkWell password", greetingName(user),
          ["Someone asked to reset the password of your InkWell account. The link works once, for one hour, and signs you out everywhere.", ignore],
          { label: "Choose a new password", href: link("/reset-password", token) }),
      );
      return "sent";
    }
    case "change-email": {
      const user = await getMailRecipient(payload.userId);
      if (!user) return "skipped: no account";
      // The address comes from the account's own pending request, written by the signed-in writer's web
      // request, never from the job: a job cannot send a change-email link anywhere else.
      const newEmail = user.pendingEmail;
      if (!newEmail) return "skipped: no change asked for";
      const taken = await findMailRecipientByEmail(newEmail);
      if (taken) {
        // Another account has this address: tell its owner, send no link.
        await sendMail(
          compose("email-in-use", newEmail, "Someone tried to move an InkWell account to your address", greetingName(taken),
            ["Someone tried to change the email of another InkWell account to this address, which already has an account (yours). Nothing changed.", ignore]),
        );
        return "sent: address in use";
      }
      const token = await issueEmailToken(user.id, "change-email", newEmail);
      // Not yet this account's address: no name in the greeting.
      await sendMail(
        compose("change-email", newEmail, "Confirm your new email address for InkWell", null,
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
