import { tracked } from "@trpc/server";
import {
  postByIdSchema,
  postByAuthorSchema,
  postBySlugSchema,
  postLatestSchema,
  postCreateSchema,
  postDiscardSchema,
  postPublishSchema,
  postListSchema,
  postPreviewSchema,
  postPublishedSchema,
  postSearchSchema,
  postRestoreSchema,
  postRevisionSchema,
  postScheduleSchema,
  postUpdateSchema,
} from "@/lib/validations/post";
import { AppError } from "../../errors";
import { postStatusEvents } from "../../jobs/status-feed";
import { getOwnPost, getRevision, listOwnPosts, listRevisions } from "../../posts/own-reads";
import { getPublishedPost, listPublishedPosts, listPublishedTags, pagePublishedPostsByUsername } from "../../posts/published-reads";
import { discardChanges, publishPost, schedulePost, unpublishPost, unschedulePost } from "../../posts/publishing";
import { searchPublishedPosts } from "../../posts/search";
import { createPost, deletePost, restoreRevision, retryPost, updatePost } from "../../posts/write";
import { RenderBusyError, RenderTooComplexError, renderInThread } from "../../render/pool";
import { limitPreview } from "../../security/rate-limit";
import { createTRPCRouter, protectedProcedure, publicProcedure, watchSession } from "../trpc";

export const postsRouter = createTRPCRouter({
  create: protectedProcedure.input(postCreateSchema).mutation(({ ctx, input }) => createPost(ctx.session.user.id, input)),
  update: protectedProcedure.input(postUpdateSchema).mutation(({ ctx, input }) => updatePost(ctx.session.user.id, input)),
  delete: protectedProcedure.input(postByIdSchema).mutation(({ ctx, input }) => deletePost(ctx.session.user.id, input.id)),
  byId: protectedProcedure.input(postByIdSchema).query(({ ctx, input }) => getOwnPost(ctx.session.user.id, input.id)),
  list: protectedProcedure.input(postListSchema).query(({ ctx, input }) => listOwnPosts(ctx.session.user.id, input)),
  /** Publish, or Update a live post: its working copy goes live (through the worker if not yet rendered). */
  publish: protectedProcedure.input(postPublishSchema).mutation(({ ctx, input }) => publishPost(ctx.session.user.id, input)),
  /** Drops a live post's unpublished changes: the working copy becomes the live version again. */
  discardChanges: protectedProcedure.input(postDiscardSchema).mutation(({ ctx, input }) => discardChanges(ctx.session.user.id, input)),
  unpublish: protectedProcedure.input(postByIdSchema).mutation(({ ctx, input }) => unpublishPost(ctx.session.user.id, input.id)),
  /** Publishes at a future time, or updates a live post then (a delayed job); `unschedule` cancels it. */
  schedule: protectedProcedure.input(postScheduleSchema).mutation(({ ctx, input }) => schedulePost(ctx.session.user.id, input)),
  unschedule: protectedProcedure.input(postByIdSchema).mutation(({ ctx, input }) => unschedulePost(ctx.session.user.id, input.id)),
  /** Every published version of the post, newest first. */
  revisions: protectedProcedure.input(postByIdSchema).query(({ ctx, input }) => listRevisions(ctx.session.user.id, input.id)),
  revision: protectedProcedure.input(postRevisionSchema).query(({ ctx, input }) => getRevision(ctx.session.user.id, input.id, input.version)),
  /** Brings a revision back as a new version of the post (based on `version`, like update). */
  restoreRevision: protectedProcedure.input(postRestoreSchema).mutation(({ ctx, input }) => restoreRevision(ctx.session.user.id, input)),
  retry: protectedProcedure.input(postByIdSchema).mutation(({ ctx, input }) => retryPost(ctx.session.user.id, input.id)),
  /** The latest published posts across all writers (home page). */
  latest: publicProcedure.input(postLatestSchema).query(({ input }) => listPublishedPosts({ limit: input.limit })),
  /** One writer's published posts (author page); NOT_FOUND for an unknown writer. */
  byAuthor: publicProcedure.input(postByAuthorSchema).query(async ({ input }) => {
    const { author, items } = await pagePublishedPostsByUsername({ username: input.username, limit: input.limit });
    return { author, posts: items };
  }),
  /** Published posts, newest first, paginated; optionally one writer's (username) or one tag's. */
  published: publicProcedure.input(postPublishedSchema).query(async ({ input }) => {
    const { items, nextCursor } = await pagePublishedPostsByUsername({ username: input.username, tag: input.tag, limit: input.limit, cursor: input.cursor });
    return { items, nextCursor };
  }),
  /** Full-text search over published posts, with highlighted snippets. */
  search: publicProcedure.input(postSearchSchema).query(({ input }) => searchPublishedPosts(input.q, input)),
  /** Tags in use, most used first. */
  tags: publicProcedure.query(() => listPublishedTags()),
  bySlug: publicProcedure.input(postBySlugSchema).query(({ input }) => getPublishedPost(input.username, input.slug)),

  /**
   * Exactly the worker's pipeline, without saving: in a render thread under the same time limit, for
   * signed-in writers, rate-limited per writer. The input schema bounds its size.
   */
  preview: protectedProcedure.input(postPreviewSchema).mutation(async ({ ctx, input }) => {
    await limitPreview(ctx.session.user.id);
    try {
      return { html: (await renderInThread(input.markdown)).html };
    } catch (err) {
      if (err instanceof RenderTooComplexError) throw new AppError("INVALID", err.message);
      if (err instanceof RenderBusyError) throw new AppError("RATE_LIMITED", err.message);
      throw err;
    }
  }),

  /**
   * Live status of the writer's posts over server-sent events, fed by the worker through Redis. The
   * stream ends once its session is signed out or revoked (checked before each event and periodically).
   */
  onStatusChange: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const session = watchSession(ctx, signal);
    try {
      for await (const event of postStatusEvents(ctx.session.user.id, session.signal)) {
        if (!(await session.stillSignedIn())) return;
        yield tracked(`${event.postId}:${event.version}:${event.status}:${event.at}`, event);
      }
    } catch (err) {
      // The watch aborted the wait for the next event: the client left or the session ended.
      if (session.signal.aborted) return;
      throw err;
    } finally {
      session.stop();
    }
  }),
});
