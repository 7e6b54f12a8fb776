import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { postSendSchema, subscriberByIdSchema, subscriberImportSchema, subscriberListSchema } from "@/lib/validations/newsletter";
import { usernameSchema } from "@/lib/validations/user";
import {
  confirmImportedConsent,
  countActiveSubscribers,
  getAudienceSummary,
  importSubscribersCsv,
  listSubscribers,
  removeSubscriber,
} from "../../newsletter/audience";
import { sendProgressEvents } from "../../newsletter/progress-feed";
import { getPostSend, listPostSends, requestPostSend, requestTestSend } from "../../newsletter/sends";
import { isAccountSubscribed, subscribeAccount } from "../../newsletter/subscriptions";
import { createTRPCRouter, protectedProcedure, watchSession } from "../trpc";

// The writer's audience and sends, and a signed-in reader's one-click subscription. (Readers without an
// account subscribe, confirm and unsubscribe through the no-JavaScript forms of the public pages.)

const writerSchema = z.object({ writer: usernameSchema });

export const newsletterRouter = createTRPCRouter({
  summary: protectedProcedure.query(({ ctx }) => getAudienceSummary(ctx.session.user.id)),
  activeCount: protectedProcedure.query(({ ctx }) => countActiveSubscribers(ctx.session.user.id)),
  list: protectedProcedure.input(subscriberListSchema).query(({ ctx, input }) => listSubscribers(ctx.session.user.id, input)),
  remove: protectedProcedure.input(subscriberByIdSchema).mutation(({ ctx, input }) => removeSubscriber(ctx.session.user.id, input.id)),
  importCsv: protectedProcedure.input(subscriberImportSchema).mutation(({ ctx, input }) => importSubscribersCsv(ctx.session.user.id, input)),
  /** The writer ticks "these readers agreed": the imported addresses receive the next posts. */
  confirmImported: protectedProcedure
    .input(z.object({ consent: z.literal(true, "Tick the box to confirm that these readers agreed to receive your posts.") }))
    .mutation(({ ctx }) => confirmImportedConsent(ctx.session.user.id)),

  /** "Publish and email": emails the post once it is live (now, or when its schedule publishes it). */
  send: protectedProcedure.input(postSendSchema).mutation(({ ctx, input }) => requestPostSend(ctx.session.user.id, input.postId)),
  testSend: protectedProcedure.input(postSendSchema).mutation(({ ctx, input }) => requestTestSend(ctx.session.user.id, input.postId)),
  sendStatus: protectedProcedure.input(postSendSchema).query(({ ctx, input }) => getPostSend(ctx.session.user.id, input.postId)),
  history: protectedProcedure.query(({ ctx }) => listPostSends(ctx.session.user.id)),
  /** Live progress of the writer's sends (server-sent events), fed by the worker through Redis. */
  onSendProgress: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const session = watchSession(ctx, signal);
    try {
      for await (const event of sendProgressEvents(ctx.session.user.id, session.signal)) {
        if (!(await session.stillSignedIn())) return;
        yield tracked(`${event.postId}:${event.status}:${event.sent}:${event.failed}`, event);
      }
    } catch (err) {
      if (session.signal.aborted) return;
      throw err;
    } finally {
      session.stop();
    }
  }),

  /** Signed-in readers subscribe with their account's confirmed address, in one click. */
  subscribeMe: protectedProcedure.input(writerSchema).mutation(async ({ ctx, input }) => {
    const outcome = await subscribeAccount(ctx.session.user.id, input.writer);
    if (outcome === "unknown-writer") throw new TRPCError({ code: "NOT_FOUND", message: "There is no writer with that name." });
    if (outcome === "unverified") throw new TRPCError({ code: "BAD_REQUEST", message: "Confirm your account's email address first." });
    return { subscribed: true };
  }),
  amISubscribed: protectedProcedure.input(writerSchema).query(({ ctx, input }) => isAccountSubscribed(ctx.session.user.id, input.writer)),
});
