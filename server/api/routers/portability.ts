import { accountDeleteSchema } from "@/lib/validations/user";
import { importByIdSchema } from "@/lib/validations/portability";
import { forgetSessionsOf } from "../../auth/session-cache";
import { limitPasswordCheck } from "../../security/rate-limit";
import { listExports, requestExport } from "../../portability/export-service";
import { getImport, listImports, startImport } from "../../portability/import-service";
import type { ExportRow, ImportRow } from "../../portability/schema";
import { deleteAccount } from "../../users/delete-account";
import { createTRPCRouter, protectedProcedure } from "../trpc";

// Import, export and account deletion (settings → "Your data"). Uploads and downloads are route
// handlers (app/api/portability/*): tRPC carries the rest.

/** What the writer sees of an import (never where its file is stored). */
function toImportView(row: ImportRow) {
  return {
    id: row.id,
    fileName: row.fileName,
    source: row.source,
    state: row.state,
    summary: row.summary,
    processed: row.processed,
    imported: row.imported,
    error: row.error,
    createdAt: row.createdAt,
  };
}

function toExportView(row: ExportRow) {
  return { id: row.id, state: row.state, posts: row.posts, bytes: row.bytes, expiresAt: row.expiresAt, error: row.error, createdAt: row.createdAt };
}

export const portabilityRouter = createTRPCRouter({
  imports: protectedProcedure.query(async ({ ctx }) => (await listImports(ctx.session.user.id)).map(toImportView)),
  importStatus: protectedProcedure.input(importByIdSchema).query(async ({ ctx, input }) => toImportView(await getImport(ctx.session.user.id, input.id))),
  startImport: protectedProcedure.input(importByIdSchema).mutation(async ({ ctx, input }) => toImportView(await startImport(ctx.session.user.id, input.id))),
  requestExport: protectedProcedure.mutation(async ({ ctx }) => toExportView(await requestExport(ctx.session.user.id))),
  exports: protectedProcedure.query(async ({ ctx }) => (await listExports(ctx.session.user.id)).map(toExportView)),
  deleteAccount: protectedProcedure.input(accountDeleteSchema).mutation(async ({ ctx, input }) => {
    const attempt = await limitPasswordCheck(ctx.headers, ctx.session.user.id);
    const result = await deleteAccount(ctx.session.user.id, input);
    await attempt.succeeded();
    forgetSessionsOf(ctx.session.user.id);
    return result;
  }),
});
