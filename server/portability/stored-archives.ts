import { eq } from "drizzle-orm";
import { db } from "../db";
import { dataExports, imports } from "./schema";
import { archiveStorage } from "./storage";

/** Removes every uploaded archive and built export of the account (account deletion). */
export async function removeStoredArchivesOf(userId: string): Promise<void> {
  const keys = [
    ...(await db.select({ key: imports.storageKey }).from(imports).where(eq(imports.userId, userId))),
    ...(await db.select({ key: dataExports.storageKey }).from(dataExports).where(eq(dataExports.userId, userId))),
  ];
  for (const { key } of keys) await archiveStorage.remove(key);
}
