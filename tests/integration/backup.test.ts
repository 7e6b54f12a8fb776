import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../scripts/migrate";
import { REPO_ROOT, ensureDatabase, runProcess } from "../../scripts/services";

// `npm run backup` / `npm run restore` on the embedded development database (no DATABASE_URL). The
// server path (pg_dump/pg_restore, then the same public pages served from the copy) is in
// tests/scale/backup.test.ts, which runs the production build.

const root = mkdtempSync(path.join(tmpdir(), "inkwell-backup-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run backup|restore -- …` as a developer runs it, with DATABASE_URL empty (the embedded mode). */
function backupScript(args: string[]): Promise<{ code: number | null; output: string }> {
  return runProcess("backup", process.execPath, ["--import", "tsx", "scripts/backup.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: "" },
    timeoutMs: 120_000,
  });
}

/** Serves an embedded database directory the way `npm run dev` does. */
async function openEmbedded(dataDir: string) {
  const configured = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL; // ensureDatabase would use the test server otherwise
  try {
    return await ensureDatabase({ dataDir, log: () => {} });
  } finally {
    process.env.DATABASE_URL = configured;
  }
}

async function snapshot(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const users = await sql`select email, username, display_name, password_hash from users.users order by username`;
    const [migrations] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    return { users: [...users], migrations: migrations?.n };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe("npm run backup / restore, embedded database", () => {
  it("backs up .data/pglite while the app is stopped, and restores it into a fresh directory", async () => {
    const source = path.join(root, "pglite");
    const restored = path.join(root, "restored");
    const file = path.join(root, "dev.tar.gz");

    const db = await openEmbedded(source);
    let before: Awaited<ReturnType<typeof snapshot>>;
    try {
      await runMigrations(db.url);
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      await sql`insert into users.users (email, username, display_name, password_hash)
                values ('kept@example.com', 'kept_writer', 'Kept Writer', 'not-a-real-hash')`;
      await sql.end({ timeout: 5 });
      before = await snapshot(db.url);

      // While the app has it open (npm run dev), a copy could be torn: refused, nothing written.
      const refused = await backupScript(["backup", file, "--pglite-dir", source]);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/is open in process \d+ .*stop it first/);
      expect(existsSync(file)).toBe(false);
    } finally {
      await db.stop();
    }

    const backup = await backupScript(["backup", file, "--pglite-dir", source]);
    expect(backup.code, backup.output).toBe(0);
    const restore = await backupScript(["restore", file, "--pglite-dir", restored]);
    expect(restore.code, restore.output).toBe(0);

    const copy = await openEmbedded(restored);
    try {
      const after = await snapshot(copy.url);
      expect(before.users).toHaveLength(1);
      expect(before.migrations).toBeGreaterThan(0);
      expect(after).toEqual(before);
    } finally {
      await copy.stop();
    }

    // A directory holding a database is not overwritten by accident.
    const again = await backupScript(["restore", file, "--pglite-dir", restored]);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already holds a database\. Pass --replace/);
  }, 300_000); // PGlite starts in seconds, but in minutes on a loaded machine

  it("refuses a backup of the other kind with a message saying where it belongs", async () => {
    const notGzip = path.join(REPO_ROOT, "package.json");
    const result = await backupScript(["restore", notGzip, "--pglite-dir", path.join(root, "never")]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/is not an embedded database backup \(\.tar\.gz\)/);
    expect(existsSync(path.join(root, "never"))).toBe(false);
  });
});
