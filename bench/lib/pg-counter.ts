import net from "node:net";

// A PostgreSQL wire-protocol proxy on 127.0.0.1 that counts the statements its clients execute:
// each simple Query ('Q') and each extended-protocol Execute ('E', mapped through Bind to the SQL text of
// its Parse). Server responses pass through untouched. Counts are exact per statement, unlike
// pg_stat_database deltas (which count transactions and rows) and without needing pg_stat_statements.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export interface StatementCounts {
  total: number;
  /** Executions per SQL text (whitespace collapsed, truncated to 160 characters). */
  byStatement: Record<string, number>;
}

export interface StatementCounter {
  port: number;
  /** Counts since the last reset. */
  snapshot(): StatementCounts;
  reset(): void;
  close(): Promise<void>;
}

function normalize(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

function cstring(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  const stop = end === -1 ? buf.length : end;
  return [buf.toString("utf8", at, stop), stop + 1];
}

export async function startStatementCounter(upstreamHost: string, upstreamPort: number): Promise<StatementCounter> {
  let counts: StatementCounts = { total: 0, byStatement: {} };
  const record = (sql: string) => {
    const key = normalize(sql);
    counts.total++;
    counts.byStatement[key] = (counts.byStatement[key] ?? 0) + 1;
  };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client);
    sockets.add(upstream);
    const statements = new Map<string, string>(); // prepared statement name -> SQL
    const portals = new Map<string, string>(); // portal name -> SQL
    let pending: Buffer = Buffer.alloc(0);
    let startupDone = false;

    const parse = (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (!startupDone) {
          if (pending.length < 8) return;
          const len = pending.readInt32BE(0);
          if (pending.length < len) return;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(len);
          // An SSL/GSS request is followed by the real startup message; anything else starts the session.
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) startupDone = true;
          continue;
        }
        if (pending.length < 5) return;
        const type = String.fromCharCode(pending[0]!);
        const len = pending.readInt32BE(1);
        if (pending.length < 1 + len) return;
        const body = pending.subarray(5, 1 + len);
        pending = pending.subarray(1 + len);
        if (type === "Q") {
          record(cstring(body, 0)[0]);
        } else if (type === "P") {
          const [name, at] = cstring(body, 0);
          statements.set(name, cstring(body, at)[0]);
        } else if (type === "B") {
          const [portal, at] = cstring(body, 0);
          const [statement] = cstring(body, at);
          portals.set(portal, statements.get(statement) ?? `(unknown statement ${statement})`);
        } else if (type === "E") {
          const [portal] = cstring(body, 0);
          record(portals.get(portal) ?? `(unknown portal ${portal})`);
        }
      }
    };

    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("data", (chunk: Buffer) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    client.on("close", closeBoth);
    upstream.on("close", closeBoth);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    snapshot: () => ({ total: counts.total, byStatement: { ...counts.byStatement } }),
    reset: () => {
      counts = { total: 0, byStatement: {} };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
