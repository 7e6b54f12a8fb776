// The newsletter scenario's mail sink, run as its own process (`tsx bench/lib/smtp-sink-server.ts
// <smtpPort> <statsPort>`) so that neither InkWell's worker nor the bare nodemailer loop shares a thread
// with it. An smtp-server that accepts everything and does no per-message work beyond counting: a message
// counts when its final "." arrives (as a real server accepts it); a client that drops the connection
// mid-DATA is not counted. A small HTTP server on loopback answers:
//   GET /stats               {accepted, firstAt, lastAt} (epoch ms, this process's clock)
//   GET /first?domain=d      waits until a message to an address at domain d has been accepted; {at}
import http from "node:http";
import { SMTPServer } from "smtp-server";

const [smtpPort, statsPort] = process.argv.slice(2).map(Number);
if (!smtpPort || !statsPort) throw new Error("usage: smtp-sink-server.ts <smtpPort> <statsPort>");

let accepted = 0;
let firstAt = 0;
let lastAt = 0;
/** First acceptance per recipient domain (the latency phase gives each writer's audience its own). */
const firstByDomain = new Map<string, number>();
const waiters = new Map<string, Array<(at: number) => void>>();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    stream.on("error", () => {});
    stream.resume();
    stream.on("end", () => {
      const at = Date.now();
      accepted++;
      if (firstAt === 0) firstAt = at;
      lastAt = at;
      const to = session.envelope.rcptTo[0]?.address ?? "";
      const domain = to.slice(to.lastIndexOf("@") + 1).toLowerCase();
      if (!firstByDomain.has(domain)) {
        firstByDomain.set(domain, at);
        for (const wake of waiters.get(domain) ?? []) wake(at);
        waiters.delete(domain);
      }
      callback();
    });
  },
});
smtp.on("error", () => {}); // clients dropping a connection mid-DATA are expected

const stats = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://sink");
  const answer = (body: unknown) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/stats") return answer({ accepted, firstAt, lastAt });
  if (url.pathname === "/first") {
    const domain = (url.searchParams.get("domain") ?? "").toLowerCase();
    const at = firstByDomain.get(domain);
    if (at !== undefined) return answer({ at });
    const list = waiters.get(domain) ?? [];
    list.push((when) => answer({ at: when }));
    waiters.set(domain, list);
    return;
  }
  res.statusCode = 404;
  res.end();
});

smtp.listen(smtpPort, "127.0.0.1", () => {
  stats.listen(statsPort, "127.0.0.1", () => console.log(`smtp sink listening on ${smtpPort}, stats on ${statsPort}`));
});
process.on("SIGTERM", () => {
  stats.close();
  smtp.close(() => process.exit(0));
});
