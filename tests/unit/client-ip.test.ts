import { describe, expect, it } from "vitest";
import { clientIp } from "@/server/security/rate-limit";

describe("clientIp", () => {
  it("takes the address our proxy appended, not what the client claimed", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
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
