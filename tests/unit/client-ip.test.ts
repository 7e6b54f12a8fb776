import { request as httpRequest, createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, installClientAddressHeader, peerAddress } from "@/server/security/client-address-header";
import { clientIp, clientRateLimitKey } from "@/server/security/rate-limit";
import { rateLimitSubject } from "@/server/security/client-address";

/** What a request handler behind the installed hook sees, for a request sent from `localAddress`. */
async function headersSeenByServer(localAddress: string, headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  const server = createServer((req, res) => res.end(JSON.stringify(req.headers)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, localAddress, headers, agent: false }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(JSON.parse(body) as IncomingHttpHeaders));
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe("clientIp with no proxy in front (TRUSTED_PROXIES=0)", () => {
  it("keys on the connection's address and ignores every forwarded header the client can write", () => {
    const forged = ["6.6.6.6", "1.2.3.4, 5.6.7.8", "", "unknown", "::1"].map(
      (xff) => new Headers({ [CLIENT_ADDRESS_HEADER]: "198.51.100.20", "x-forwarded-for": xff, "x-real-ip": xff || "7.7.7.7" }),
    );
    expect(new Set(forged.map((headers) => clientIp(headers, 0)))).toEqual(new Set(["198.51.100.20"]));
  });

  it("counts clients without a known connection address together rather than apart", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.1" }), 0)).toBe("unknown");
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.2" }), 0)).toBe("unknown");
  });
});

describe("clientIp behind trusted proxies", () => {
  it("takes the address our proxy appended, not what the client claimed", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9", [CLIENT_ADDRESS_HEADER]: "10.0.0.2" });
    expect(clientIp(headers, 1)).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.2" }), 2)).toBe("198.51.100.7");
  });

  it("falls back to X-Real-IP, then to unknown", () => {
    expect(clientIp(new Headers({ "x-real-ip": "192.0.2.1" }), 1)).toBe("192.0.2.1");
    expect(clientIp(new Headers(), 1)).toBe("unknown");
  });

  it("uses the leftmost entry when fewer proxies reported than are trusted", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "192.0.2.5" }), 2)).toBe("192.0.2.5");
  });
});

describe("the web server's client address header", () => {
  installClientAddressHeader();

  it("is the connection's address, over any value the client sent under that name", async () => {
    const seen = await headersSeenByServer("127.0.0.7", { [CLIENT_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" });
    expect(seen[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.7");
    expect(clientIp(new Headers(seen as Record<string, string>), 0)).toBe("127.0.0.7");
  });

  it("is set when the client sent none, and differs per connection address", async () => {
    expect((await headersSeenByServer("127.0.0.8", {}))[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.8");
  });

  it("shows an IPv4 client of a dual-stack socket in dotted form", () => {
    expect(peerAddress({ remoteAddress: "::ffff:203.0.113.9" })).toBe("203.0.113.9");
    expect(peerAddress({ remoteAddress: "2001:db8::1" })).toBe("2001:db8::1");
    expect(peerAddress({ remoteAddress: undefined })).toBe("unknown");
  });
});

describe("rateLimitSubject", () => {
  it("counts every address of one IPv6 /64 together, and different /64s apart", () => {
    const sameNetwork = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002:abcd::9"].map(rateLimitSubject);
    expect(new Set(sameNetwork)).toEqual(new Set(["2001:db8:1:2::/64"]));
    expect(rateLimitSubject("2001:db8:1:3::1")).not.toBe(rateLimitSubject("2001:db8:1:2::1"));
  });

  it("counts IPv4 and IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(rateLimitSubject("198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitSubject("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(rateLimitSubject("198.51.100.8")).not.toBe(rateLimitSubject("198.51.100.7"));
  });

  it("keeps what is not an address as it is", () => {
    expect(rateLimitSubject("unknown")).toBe("unknown");
  });

  it("is what the request's client is counted as", () => {
    expect(clientRateLimitKey(new Headers({ [CLIENT_ADDRESS_HEADER]: "2001:db8:5:6::42" }), 0)).toBe("2001:db8:5:6::/64");
  });
});
