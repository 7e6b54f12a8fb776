import { portabilityRouter } from "./routers/portability";
import { newsletterRouter } from "./routers/newsletter";
import { mediaRouter } from "./routers/media";
import { postsRouter } from "./routers/posts";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** The API gateway's routes: `/users/*` and `/posts/*` of the design, as tRPC routers. */
export const appRouter = createTRPCRouter({
  users: usersRouter,
  posts: postsRouter,
  portability: portabilityRouter,
  newsletter: newsletterRouter,
  media: mediaRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: server components and integration tests call procedures without HTTP. */
export const createCaller = createCallerFactory(appRouter);
