// A real SMTP server on loopback that keeps every message it is given: the containers' worker mails
// through SMTP_URL as in production, and the test follows the link it received.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

export interface MailSink {
  url: string;
  received: ReceivedMail[];
  /** The first link in a mail to `to` whose path is `pathname`, waiting for it up to timeoutMs. */
  waitForLink(to: string, pathname: string, timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback, no login: what a local relay looks like to the worker.
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject: mail.subject ?? "", text: mail.text ?? "" });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      if (address && typeof address === "object") resolve(address.port);
      else reject(new Error("the SMTP sink has no port"));
    });
  });

  const findLink = (to: string, pathname: string): URL | undefined => {
    for (const mail of received.filter((m) => m.to.includes(to.toLowerCase()))) {
      for (const candidate of mail.text.match(/https?:\/\/\S+/g) ?? []) {
        const url = new URL(candidate);
        if (url.pathname === pathname) return url;
      }
    }
    return undefined;
  };

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitForLink(to, pathname, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const link = findLink(to, pathname);
        if (link) return link;
        if (Date.now() > deadline) {
          throw new Error(`no mail to ${to} with a ${pathname} link within ${timeoutMs} ms (received: ${JSON.stringify(received.map((m) => ({ to: m.to, subject: m.subject })))})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
