import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { and, asc, count, eq, gt, gte, ilike, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import { emailSchema } from "@/lib/validations/user";
import { MAX_IMPORT_ROWS, type subscriberImportSchema, type subscriberListSchema } from "@/lib/validations/newsletter";
import { db } from "../db";
import { subscribers, subscriberStatuses, type SubscriberRow, type SubscriberStatus } from "./schema";
import { AppError } from "../errors";

// The writer's side: their audience (counts, growth, the list), removing readers, and CSV in and out.

export const GROWTH_DAYS = 30;

export interface AudienceSummary {
  counts: Record<SubscriberStatus, number>;
  /** Active subscribers at the end of each of the last GROWTH_DAYS days (UTC), oldest first. */
  growth: { day: string; subscribers: number }[];
}

export async function getAudienceSummary(authorId: string): Promise<AudienceSummary> {
  const byStatus = await db.select({ status: subscribers.status, n: count() }).from(subscribers).where(eq(subscribers.authorId, authorId)).groupBy(subscribers.status);
  const counts = Object.fromEntries(subscriberStatuses.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  for (const row of byStatus) counts[row.status] = row.n;

  // Each active subscriber counts from the day they confirmed; the days before the window are the base.
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - (GROWTH_DAYS - 1));
  const active = and(eq(subscribers.authorId, authorId), eq(subscribers.status, "active"));
  const day = sql<string>`to_char(date_trunc('day', ${subscribers.confirmedAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const [[base], perDay] = await Promise.all([
    db.select({ n: count() }).from(subscribers).where(and(active, lt(subscribers.confirmedAt, start))),
    db.select({ day, n: count() }).from(subscribers).where(and(active, gte(subscribers.confirmedAt, start))).groupBy(day),
  ]);
  const added = new Map(perDay.map((r) => [r.day, r.n]));
  let running = base?.n ?? 0;
  const growth = Array.from({ length: GROWTH_DAYS }, (_, i) => {
    const d = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    running += added.get(d) ?? 0;
    return { day: d, subscribers: running };
  });
  return { counts, growth };
}

/** Readers who get the next post (active subscribers): the publish panel's "email N subscribers". */
export async function countActiveSubscribers(authorId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(subscribers).where(and(eq(subscribers.authorId, authorId), eq(subscribers.status, "active")));
  return row?.n ?? 0;
}

export type SubscriberItem = Pick<SubscriberRow, "id" | "email" | "status" | "source" | "createdAt" | "confirmedAt">;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The list, by address, `limit` at a time (the cursor is the last address shown). */
export async function listSubscribers(authorId: string, input: z.output<typeof subscriberListSchema>): Promise<{ items: SubscriberItem[]; nextCursor: string | null }> {
  const rows = await db
    .select({ id: subscribers.id, email: subscribers.email, status: subscribers.status, source: subscribers.source, createdAt: subscribers.createdAt, confirmedAt: subscribers.confirmedAt })
    .from(subscribers)
    .where(
      and(
        eq(subscribers.authorId, authorId),
        input.search ? ilike(subscribers.email, `%${escapeLike(input.search.toLowerCase())}%`) : undefined,
        input.cursor ? gt(subscribers.email, input.cursor) : undefined,
      ),
    )
    .orderBy(asc(subscribers.email))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.email ?? null) : null };
}

/** Removes a reader from the writer's list (and any send not yet made to them). */
export async function removeSubscriber(authorId: string, id: string): Promise<void> {
  const deleted = await db.delete(subscribers).where(and(eq(subscribers.id, id), eq(subscribers.authorId, authorId))).returning({ id: subscribers.id });
  if (deleted.length === 0) throw new AppError("NOT_FOUND", "That subscriber is not on your list.");
}

export async function exportSubscribersCsv(authorId: string): Promise<string> {
  const rows = await db
    .select({ email: subscribers.email, status: subscribers.status, source: subscribers.source, createdAt: subscribers.createdAt, confirmedAt: subscribers.confirmedAt })
    .from(subscribers)
    .where(eq(subscribers.authorId, authorId))
    .orderBy(asc(subscribers.email));
  return stringify(
    rows.map((r) => [r.email, r.status, r.source, r.createdAt.toISOString(), r.confirmedAt?.toISOString() ?? ""]),
    { header: true, columns: ["email", "status", "source", "created_at", "confirmed_at"] },
  );
}

export interface ImportResult {
  imported: number;
  /** Addresses already on the list (any state), left as they were. */
  alreadyListed: number;
  /** Rows naming an address a second time (in any case). */
  duplicates: number;
}

const INSERT_CHUNK = 5_000;

/**
 * Reads a CSV of addresses (one a line, or a column named "email"), refusing the whole file with the
 * first bad lines named if any address is invalid, so nothing is half-imported. New addresses are
 * `imported` with the writer's consent statement: they get no mail until the writer confirms consent.
 */
export async function importSubscribersCsv(authorId: string, input: z.output<typeof subscriberImportSchema>): Promise<ImportResult> {
  let records: string[][];
  try {
    records = parse(input.csv, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 4_096 }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError("INVALID", `The file is not valid CSV${line ? ` (line ${line})` : ""}. Nothing was imported.`);
  }
  const header = records[0]?.map((c) => c.toLowerCase()) ?? [];
  const emailColumn = Math.max(0, header.indexOf("email"));
  const hasHeader = header.includes("email");
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) throw new AppError("INVALID", "The file has no addresses. Nothing was imported.");
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new AppError("INVALID", `The file has ${rows.length.toLocaleString("en")} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString("en")} at a time. Nothing was imported.`);
  }
  const emails = new Set<string>();
  const bad: string[] = [];
  let duplicates = 0;
  rows.forEach((row, i) => {
    const parsed = emailSchema.safeParse(row[emailColumn] ?? "");
    if (!parsed.success) {
      if (bad.length < 3) bad.push(`line ${i + 1 + (hasHeader ? 1 : 0)} (${JSON.stringify((row[emailColumn] ?? "").slice(0, 60))})`);
      else bad.push("");
      return;
    }
    if (emails.has(parsed.data)) duplicates++;
    else emails.add(parsed.data);
  });
  if (bad.length > 0) {
    const named = bad.filter(Boolean).join(", ");
    throw new AppError("INVALID", `${bad.length.toLocaleString("en")} ${bad.length === 1 ? "row is not a valid email address" : "rows are not valid email addresses"}: ${named}${bad.length > 3 ? ", …" : ""}. Fix them and import again; nothing was imported.`);
  }
  const all = [...emails];
  const imported = await db.transaction(async (tx) => {
    let inserted = 0;
    for (let i = 0; i < all.length; i += INSERT_CHUNK) {
      const chunk = all.slice(i, i + INSERT_CHUNK).map((email) => ({ authorId, email, status: "imported" as const, source: "import" as const, consentStatement: input.consentStatement }));
      const result = await tx.insert(subscribers).values(chunk).onConflictDoNothing().returning({ id: subscribers.id });
      inserted += result.length;
    }
    return inserted;
  });
  return { imported, alreadyListed: all.length - imported, duplicates };
}

/** The writer confirms the consent of their imported readers: they receive the next posts. */
export async function confirmImportedConsent(authorId: string): Promise<{ activated: number }> {
  const rows = await db
    .update(subscribers)
    .set({ status: "active", confirmedAt: new Date() })
    .where(and(eq(subscribers.authorId, authorId), eq(subscribers.status, "imported")))
    .returning({ id: subscribers.id });
  return { activated: rows.length };
}
