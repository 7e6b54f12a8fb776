import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env.js";

const base = {
  DATABASE_URL: "postgres://u@127.0.0.1:5432/db",
  REDIS_URL: "redis://127.0.0.1:6379",
  AUTH_SECRET: "x".repeat(32),
};

describe("mail configuration", () => {
  it("requires SMTP_URL in production, naming it", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production" })).toThrow(/SMTP_URL: is required in production/);
  });

  it("accepts production with SMTP_URL, or with MAIL_OUTBOX_DIR set explicitly", () => {
    expect(parseEnv({ ...base, NODE_ENV: "production", SMTP_URL: "smtp://u:p@mail.example.com:587" }).SMTP_URL).toBe("smtp://u:p@mail.example.com:587");
    expect(parseEnv({ ...base, NODE_ENV: "production", MAIL_OUTBOX_DIR: "/tmp/outbox" }).MAIL_OUTBOX_DIR).toBe("/tmp/outbox");
  });

  it("needs neither in development, treats empty values as unset, and refuses other schemes", () => {
    expect(parseEnv({ ...base, NODE_ENV: "development", SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(() => parseEnv({ ...base, SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
  });
});
