import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { createPool, type Pool } from "generic-pool";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { parseConnectionUrl } from "nodemailer/lib/shared";

// Newsletter SMTP: a pool of open connections (generic-pool over nodemailer's SMTPConnection), and a send
// that holds back the final "." of the DATA until the caller records the delivery. A mail server accepts
// a message only when it reads that "."; a connection that dies before it (a SIGKILLed worker) delivers
// nothing. The caller writes the "." the moment its record's COMMIT has been written (`handOver`), so a
// crash can only fall between two writes to two sockets: recorded means handed over, unrecorded means
// not sent (and safe to resend). nodemailer's own pool streams the whole message at once, which leaves
// no such point.

export interface SmtpRefusal extends Error {
  /** The server's reply code (5xx permanent, 4xx temporary), when the server refused. */
  responseCode?: number;
  response?: string;
}

/**
 * Records a delivery, calling `handOver` (which writes the final ".") as soon as the record is sure to
 * commit; answers false, without calling it, when the delivery was recorded elsewhere first. Once it has
 * called `handOver` it must not reject: the message is on its way whatever else fails.
 */
export type RecordDelivery = (handOver: () => void) => Promise<boolean>;

/** Sends one message; `record` decides the moment the server may accept it. */
export interface NewsletterSender {
  send(from: string, to: string, message: Buffer, record: RecordDelivery): Promise<"sent" | "aborted">;
  close(): Promise<void>;
}

/** Resolves once `body` and everything piped from it has been handed to the connection's socket. */
async function flushed(connection: SMTPConnection, body: PassThrough): Promise<void> {
  // SMTPConnection pipes the body through its dot-stuffing stream (internal) into the socket.
  const internals = connection as unknown as { _socket?: { writableLength: number }; _currentDataStream?: { readableLength: number; writableLength: number } | false };
  const pending = () => body.readableLength + (internals._socket?.writableLength ?? 0) + (internals._currentDataStream ? internals._currentDataStream.readableLength + internals._currentDataStream.writableLength : 0);
  const deadline = Date.now() + 60_000;
  while (pending() > 0) {
    if (Date.now() > deadline || connection.destroyed) throw new Error("the SMTP connection stopped taking the message");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export class SmtpPool implements NewsletterSender {
  private readonly pool: Pool<SMTPConnection>;

  constructor(url: string, size: number) {
    const options = parseConnectionUrl(url);
    this.pool = createPool<SMTPConnection>(
      {
        create: () =>
          new Promise((resolve, reject) => {
            const connection = new SMTPConnection({ ...options, connectionTimeout: 10_000, socketTimeout: 60_000 });
            connection.once("error", reject);
            connection.connect((err) => {
              if (err) return reject(err);
              const ready = () => {
                connection.removeListener("error", reject);
                // Later errors end the connection; the pool's validation drops it.
                connection.on("error", () => {});
                resolve(connection);
              };
              // An SMTP_URL carries a user and password, if any.
              const auth = options.auth && "user" in options.auth && "pass" in options.auth ? { user: String(options.auth.user), pass: String(options.auth.pass) } : null;
              if (!auth) return ready();
              connection.login(auth, (loginErr) => (loginErr ? reject(loginErr) : ready()));
            });
          }),
        destroy: async (connection) => {
          if (connection.destroyed) return;
          connection.quit();
          connection.close();
        },
        validate: async (connection) => !connection.destroyed,
      },
      { max: size, min: 0, testOnBorrow: true, acquireTimeoutMillis: 60_000, idleTimeoutMillis: 30_000, evictionRunIntervalMillis: 10_000 },
    );
  }

  /**
   * Sends `message` from `from` to `to`. After the server has accepted the envelope and the DATA command,
   * the message goes out without its final "."; then `record` runs, and the "." is written when it hands
   * over. When it answers false (someone else recorded it first) or fails before handing over, the
   * connection is dropped mid-DATA and the server discards the message.
   */
  async send(from: string, to: string, message: Buffer, record: RecordDelivery): Promise<"sent" | "aborted"> {
    const connection = await this.pool.acquire();
    let healthy = true;
    try {
      return await new Promise<"sent" | "aborted">((resolve, reject) => {
        const body = new PassThrough();
        let aborted = false;
        let handedOver = false;
        const handOver = () => {
          if (handedOver) return;
          handedOver = true;
          body.end();
        };
        const abort = () => {
          aborted = true;
          healthy = false;
          connection.close();
        };
        // SMTPConnection pipes the message only once the server answered DATA with 354.
        body.once("resume", () => {
          body.write(message);
          // Record only once the whole message has left the process, so that after the record only the
          // five bytes of the "." remain to be written.
          flushed(connection, body)
            .then(() => record(handOver))
            .then(
              (recorded) => {
                if (recorded) return handOver();
                abort();
                resolve("aborted");
              },
              (err: unknown) => {
                abort();
                reject(err instanceof Error ? err : new Error(String(err)));
              },
            );
        });
        connection.send({ from, to: [to] }, body, (err) => {
          if (aborted) return;
          if (err) {
            // Start the next message on a fresh connection rather than reason about this one's state.
            healthy = false;
            return reject(err);
          }
          resolve("sent");
        });
      });
    } finally {
      if (healthy && !connection.destroyed) {
        await this.pool.release(connection);
      } else {
        await this.pool.destroy(connection).catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }
}

/** Without SMTP_URL (development): each message is written to the outbox directory as an .eml file. */
export class OutboxSender implements NewsletterSender {
  constructor(private readonly dir: string) {}

  async send(_from: string, to: string, message: Buffer, record: RecordDelivery): Promise<"sent" | "aborted"> {
    if (!(await record(() => {}))) return "aborted";
    await mkdir(this.dir, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(":", "-")}-newsletter-${to.replace(/[^a-zA-Z0-9.@-]/g, "")}-${randomUUID()}.eml`;
    await writeFile(path.join(this.dir, name), message);
    return "sent";
  }

  async close(): Promise<void> {}
}
