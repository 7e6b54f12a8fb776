import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { buildRecipientMessage, composePostMail, personalize } from "@/server/newsletter/compose";
import { readManageKey, readUnsubscribeKey, unsubscribeKey } from "@/server/newsletter/links";

const post = { id: "7f0c7a52-3f0e-4c55-9b8e-0c1d2e3f4a5b", title: "Plain title", slug: "plain-title", html: '<p>Hi <a href="/@ann/older">older</a> <img src="/media/a.png" alt="A"></p>' };
const writer = { username: "ann", displayName: "Ann" };
const subscriberId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("newsletter mail composition", () => {
  it("keeps a title's and a name's line breaks out of the headers (no injected Bcc)", async () => {
    const hostile = composePostMail({ ...post, title: "Hello\r\nBcc: victim@example.com\r\n\r\nbody" }, { ...writer, displayName: "Ann\r\nBcc: other@example.com" });
    const raw = await buildRecipientMessage(hostile, { subscriberId, email: "reader@example.com" });
    const mail = await simpleParser(raw);
    expect(mail.bcc).toBeUndefined();
    expect(mail.headerLines.some((h) => h.key === "bcc")).toBe(false);
    expect(mail.subject).toBe("Hello Bcc: victim@example.com body");
    expect(mail.from?.value[0]?.name).toBe("Ann Bcc: other@example.com via InkWell");
  });

  it("makes links and images absolute and gives each recipient their own links", () => {
    const template = composePostMail(post, writer);
    const a = personalize(template, { subscriberId, email: "a@example.com" });
    expect(a.html).toContain('href="http://127.0.0.1:3000/@ann/older"');
    expect(a.html).toContain('src="http://127.0.0.1:3000/media/a.png"');
    expect(a.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const key = new URL(a.headers["List-Unsubscribe"]!.slice(1, -1)).searchParams.get("key")!;
    expect(readUnsubscribeKey(key)).toEqual({ subscriberId, postId: post.id });
    const manage = /Manage your subscriptions: (\S+)/.exec(a.text)?.[1];
    expect(readManageKey(new URL(manage!).searchParams.get("key")!)).toBe("a@example.com");
  });

  it("refuses a forged or altered unsubscribe key", () => {
    const key = unsubscribeKey(subscriberId, post.id);
    expect(readUnsubscribeKey(key.replace(subscriberId, "1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"))).toBeNull();
    expect(readUnsubscribeKey(`${key}x`)).toBeNull();
    expect(readUnsubscribeKey("a.b.c")).toBeNull();
  });
});
