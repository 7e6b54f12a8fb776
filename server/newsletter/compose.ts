import { randomBytes } from "node:crypto";
import { convert } from "html-to-text";
import juice from "juice";
import addressparser from "nodemailer/lib/addressparser";
import MailComposer from "nodemailer/lib/mail-composer";
import sanitizeHtml from "sanitize-html";
import { toSingleLineName } from "@/lib/validations/user";
import { env } from "../env.js";
import { appUrl, manageUrl, oneClickUnsubscribeUrl, unsubscribeUrl } from "./links";

// A post as a mail: its rendered HTML made mail-safe (styles inlined by juice, every link and image
// absolute), a plain-text alternative (html-to-text), a "view in browser" link, and per recipient the
// unsubscribe and manage links and the RFC 8058 one-click List-Unsubscribe headers. The post part is
// composed once per post; each recipient costs only the splice of their links and the MIME build.

export interface MailPost {
  id: string;
  title: string;
  slug: string;
  html: string;
}

export interface MailWriter {
  username: string;
  displayName: string;
}

/** A composed post: HTML and text with holes for one recipient's links. */
export interface PostMailTemplate {
  postId: string;
  subject: string;
  fromName: string;
  htmlParts: string[];
  textParts: string[];
}

const STYLES = `
body { margin: 0; padding: 0; background: #ffffff; color: #1f2937; font-family: Georgia, 'Times New Roman', serif; font-size: 18px; line-height: 1.6; }
.wrapper { max-width: 640px; margin: 0 auto; padding: 24px 16px; }
.view-online { font-family: Arial, sans-serif; font-size: 13px; color: #6b7280; text-align: center; }
.view-online a, .footer a { color: #6b7280; }
h1 { font-size: 30px; line-height: 1.25; margin: 16px 0 8px; }
h2 { font-size: 24px; line-height: 1.3; margin: 28px 0 8px; }
h3 { font-size: 20px; margin: 24px 0 8px; }
p { margin: 0 0 16px; }
a { color: #2563eb; }
img { max-width: 100%; height: auto; }
pre { background: #f3f4f6; padding: 12px; overflow-x: auto; font-size: 14px; line-height: 1.45; }
code { font-family: Menlo, Consolas, monospace; font-size: 15px; }
blockquote { margin: 0 0 16px; padding-left: 16px; border-left: 4px solid #d1d5db; color: #4b5563; }
table { border-collapse: collapse; }
td, th { border: 1px solid #d1d5db; padding: 6px 10px; }
.byline { font-family: Arial, sans-serif; font-size: 14px; color: #6b7280; margin-bottom: 24px; }
.footer { font-family: Arial, sans-serif; font-size: 13px; color: #6b7280; border-top: 1px solid #e5e7eb; margin-top: 32px; padding-top: 16px; }
`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Header text on one line: a CR or LF in a title or name must never start a header of its own. */
const oneLine = (text: string) => toSingleLineName(text).slice(0, 250);

function absolutize(html: string, base: string): string {
  const absolute = (value: string | undefined) => {
    if (!value || value.startsWith("#")) return value ? new URL(value, base).toString() : value;
    try {
      return new URL(value, base).toString();
    } catch {
      return value;
    }
  };
  // The post's HTML is already sanitized by the render pipeline; this pass only rewrites its URLs.
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.href !== undefined && { href: absolute(attribs.href) ?? "" }) } }),
      img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, ...(attribs.src !== undefined && { src: absolute(attribs.src) ?? "" }) } }),
    },
  });
}

export function postUrl(writer: MailWriter, post: Pick<MailPost, "slug">): string {
  return appUrl(`/@${writer.username}/${post.slug}`);
}

export function composePostMail(post: MailPost, writer: MailWriter): PostMailTemplate {
  const url = postUrl(writer, post);
  // Holes for the recipient's links, marked by a random string no post can contain by chance or design.
  const hole = `inkwell${randomBytes(12).toString("hex")}`;
  const [unsubscribeHole, manageHole] = [`${hole}u`, `${hole}m`];
  const body = absolutize(post.html, url);
  const html = juice(
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(post.title)}</title><style>${STYLES}</style></head><body><div class="wrapper">` +
      `<p class="view-online"><a href="${escapeHtml(url)}">View this post in your browser</a></p>` +
      `<h1>${escapeHtml(post.title)}</h1><p class="byline">By ${escapeHtml(writer.displayName)}</p>` +
      body +
      `<div class="footer"><p>You receive this because you subscribed to ${escapeHtml(writer.displayName)} on InkWell.</p>` +
      `<p><a href="${unsubscribeHole}">Unsubscribe</a> · <a href="${manageHole}">Manage your subscriptions</a></p></div>` +
      `</div></body></html>`,
  );
  const text = [
    `View this post in your browser: ${url}`,
    "",
    post.title,
    `By ${writer.displayName}`,
    "",
    convert(body, { wordwrap: 78, selectors: [{ selector: "img", format: "skip" }] }),
    "",
    "--",
    `You receive this because you subscribed to ${writer.displayName} on InkWell.`,
    `Unsubscribe: ${unsubscribeHole}`,
    `Manage your subscriptions: ${manageHole}`,
  ].join("\n");
  const split = (s: string) => s.split(new RegExp(`${hole}([um])`));
  return { postId: post.id, subject: oneLine(post.title), fromName: oneLine(`${writer.displayName} via InkWell`), htmlParts: split(html), textParts: split(text) };
}

function fill(parts: string[], links: { u: string; m: string }, escape: boolean): string {
  // split() with a capture group interleaves text and hole names: text, name, text, name, text…
  return parts.map((part, i) => (i % 2 === 0 ? part : escape ? escapeHtml(links[part as "u" | "m"]) : links[part as "u" | "m"])).join("");
}

/** The address part of MAIL_FROM (the envelope sender), e.g. no-reply@example.com. */
export function senderAddress(): string {
  return addressparser(env.MAIL_FROM, { flatten: true })[0]?.address || "no-reply@localhost";
}

export interface Recipient {
  subscriberId: string | null;
  email: string;
}

/** One recipient's mail: their links spliced in, the one-click unsubscribe headers (none for a test). */
export function personalize(template: PostMailTemplate, recipient: Recipient, options: { test?: boolean } = {}) {
  const manage = manageUrl(recipient.email);
  const unsubscribe = recipient.subscriberId ? unsubscribeUrl(recipient.subscriberId, template.postId) : manage;
  const links = { u: unsubscribe, m: manage };
  const headers: Record<string, string> = recipient.subscriberId
    ? { "List-Unsubscribe": `<${oneClickUnsubscribeUrl(recipient.subscriberId, template.postId)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
    : {};
  return {
    subject: options.test ? `[Test] ${template.subject}` : template.subject,
    text: fill(template.textParts, links, false),
    html: fill(template.htmlParts, links, true),
    headers,
  };
}

/** The full MIME message for one recipient. */
export async function buildRecipientMessage(template: PostMailTemplate, recipient: Recipient & { subscriberId: string }): Promise<Buffer> {
  const mail = personalize(template, recipient);
  const composer = new MailComposer({
    from: { name: template.fromName, address: senderAddress() },
    to: recipient.email,
    ...mail,
    // One id per post and reader: mailbox providers fold copies with the same id into one.
    messageId: `<${template.postId}.${recipient.subscriberId}@${new URL(env.APP_URL).hostname}>`,
  });
  return composer.compile().build();
}
