import { describe, expect, it } from "vitest";
import { isForeignOrigin } from "@/server/security/origin";

const production = { appUrl: "http://localhost:3000", development: false };
const development = { appUrl: "http://localhost:3000", development: true };
const post = (origin: string | null, host: string | null) => ({ method: "POST", origin, host });

describe("isForeignOrigin", () => {
  it("accepts APP_URL's origin in both modes", () => {
    expect(isForeignOrigin(post("http://localhost:3000", "localhost:3000"), production)).toBe(false);
    expect(isForeignOrigin(post("http://localhost:3000", "localhost:3000"), development)).toBe(false);
  });

  it("accepts requests without an Origin (not a browser) and requests that are not POSTs", () => {
    expect(isForeignOrigin(post(null, "localhost:3000"), production)).toBe(false);
    expect(isForeignOrigin({ method: "GET", origin: "https://evil.example", host: "localhost:3000" }, production)).toBe(false);
  });

  it("in development, accepts the address the browser opened: 127.0.0.1 or the network address next dev prints", () => {
    expect(isForeignOrigin(post("http://127.0.0.1:3000", "127.0.0.1:3000"), development)).toBe(false);
    expect(isForeignOrigin(post("http://192.168.1.20:3000", "192.168.1.20:3000"), development)).toBe(false);
  });

  it("in production, refuses every origin but APP_URL's, even the one the request was sent to", () => {
    expect(isForeignOrigin(post("http://127.0.0.1:3000", "127.0.0.1:3000"), production)).toBe(true);
    expect(isForeignOrigin(post("https://evil.example", "localhost:3000"), production)).toBe(true);
  });

  it("in development, still refuses another site's page, another port and opaque origins", () => {
    expect(isForeignOrigin(post("https://evil.example", "127.0.0.1:3000"), development)).toBe(true);
    expect(isForeignOrigin(post("http://127.0.0.1:4000", "127.0.0.1:3000"), development)).toBe(true);
    expect(isForeignOrigin(post("null", "127.0.0.1:3000"), development)).toBe(true);
    expect(isForeignOrigin(post("file://", "127.0.0.1:3000"), development)).toBe(true);
    expect(isForeignOrigin(post("http://127.0.0.1:3000", null), development)).toBe(true);
  });
});
