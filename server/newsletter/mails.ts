import { getMailRecipient, getPublicProfilesByIds } from "../users/service";
import { getPostMailSource } from "../posts/mail-source";
import { sendMail } from "../mail/transport";
import { composePostMail, personalize } from "./compose";
import { confirmUrl } from "./links";
import { getConfirmationRecipient, issueConfirmationToken } from "./subscriptions";

// The worker's single mails of the newsletter: the double opt-in link, and a writer's test send. Both go
// through the account mail transport (SMTP, or the outbox in development), with its retries.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export async function sendConfirmationMail(subscriberId: string): Promise<string> {
  const recipient = await getConfirmationRecipient(subscriberId);
  if (!recipient) return "skipped: nothing to confirm";
  const link = confirmUrl(await issueConfirmationToken(subscriberId));
  const lead = `Someone (hopefully you) asked to receive ${recipient.writerName}'s posts on InkWell by email at this address. Confirm it to start receiving them; the link works once, for 48 hours.`;
  const ignore = "If this was not you, ignore this email: you will not be subscribed.";
  await sendMail({
    kind: "newsletter-confirm",
    to: recipient.email,
    subject: `Confirm your subscription to ${recipient.writerName}`.replace(/[\r\n]+/g, " "),
    text: ["Hello,", "", lead, "", `Confirm your subscription: ${link}`, "", ignore, "", "— InkWell"].join("\n"),
    html: `<p>Hello,</p><p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(link)}">Confirm your subscription</a></p><p>${escapeHtml(ignore)}</p><p>— InkWell</p>`,
    link,
  });
  return "sent";
}

export async function sendTestMail(postId: string, authorId: string): Promise<string> {
  const [source, account, writers] = await Promise.all([getPostMailSource(postId), getMailRecipient(authorId), getPublicProfilesByIds([authorId])]);
  const writer = writers.get(authorId);
  if (!source?.draft || source.authorId !== authorId || !account?.verified || !writer) return "skipped: nothing to test";
  const template = composePostMail({ id: postId, title: source.draft.title, slug: source.draft.slug, html: source.draft.html }, writer);
  const mail = personalize(template, { subscriberId: null, email: account.email }, { test: true });
  await sendMail({ kind: "newsletter-test", to: account.email, subject: mail.subject, text: mail.text, html: mail.html });
  return "sent";
}
