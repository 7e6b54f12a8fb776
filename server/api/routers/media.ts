import { TRPCError, tracked } from "@trpc/server";
import { imageByIdSchema, imageCopyRemoteSchema, imageDeleteSchema } from "@/lib/validations/media";
import { copyRemoteImageToLibrary, deleteImage, getImage, getLibrary, MediaError, retryImage } from "../../media/library";
import { imageStatusEvents } from "../../media/status-feed";
import { UploadRefusedError } from "../../media/upload";
import { createTRPCRouter, protectedProcedure, watchSession } from "../trpc";

// The writer's image library. Uploads themselves go through the streaming route /api/media/uploads.

const UPLOAD_CODES = { 400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 429: "TOO_MANY_REQUESTS" } as const;

/** Maps the media module's refusals to tRPC codes, once. */
async function refusalsAsErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof MediaError) throw new TRPCError({ code: err.kind, message: err.message });
    if (err instanceof UploadRefusedError) throw new TRPCError({ code: UPLOAD_CODES[err.status], message: err.message });
    throw err;
  }
}

export const mediaRouter = createTRPCRouter({
  /** The writer's images with where each is used, and the storage used against the quota. */
  list: protectedProcedure.query(({ ctx }) => getLibrary(ctx.session.user.id)),
  byId: protectedProcedure.input(imageByIdSchema).query(({ ctx, input }) => refusalsAsErrors(() => getImage(ctx.session.user.id, input.id))),
  delete: protectedProcedure.input(imageDeleteSchema).mutation(({ ctx, input }) => refusalsAsErrors(() => deleteImage(ctx.session.user.id, input.id, input.force))),
  retry: protectedProcedure.input(imageByIdSchema).mutation(({ ctx, input }) => refusalsAsErrors(() => retryImage(ctx.session.user.id, input.id))),
  copyRemote: protectedProcedure.input(imageCopyRemoteSchema).mutation(({ ctx, input }) => refusalsAsErrors(() => copyRemoteImageToLibrary(ctx.session.user.id, input.url))),
  /** Live status of the writer's images (uploads in the editor, the library) over server-sent events. */
  onStatusChange: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const session = watchSession(ctx, signal);
    try {
      for await (const event of imageStatusEvents(ctx.session.user.id, session.signal)) {
        if (!(await session.stillSignedIn())) return;
        yield tracked(`${event.imageId}:${event.status}:${Date.now()}`, event);
      }
    } catch (err) {
      if (session.signal.aborted) return;
      throw err;
    } finally {
      session.stop();
    }
  }),
});
