import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

// A real SMTP server for the tests (the smtp-server package): it accepts every message on 127.0.0.1 and
// keeps it, counted as a server would, when the final "." arrives. `refuse` answers chosen recipients
// with a reply code (550: permanent, 451: temporary).

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Copies received per recipient address. */
  countsByRecipient(): Map<string, number>;
  parse(mail: ReceivedMail): Promise<ParsedMail>;
  refuse(address: string, code: 550 | 451): void;
  allow(address: string): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = refusals.get(address.address.toLowerCase());
      if (!code) return callback();
      const err = Object.assign(new Error(code >= 500 ? "No such mailbox here" : "Try again later"), { responseCode: code });
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      // A client that disconnects mid-message (a killed worker) gets its stream destroyed: not counted.
      stream.on("error", () => {});
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        // The "." arrived: the message is accepted (and counted) now, as a real server would.
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its connection: expected here, not a failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const mail of received) for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    parse: (mail) => simpleParser(mail.raw),
    refuse: (address, code) => void refusals.set(address.toLowerCase(), code),
    allow: (address) => void refusals.delete(address.toLowerCase()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
