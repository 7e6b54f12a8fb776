import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

// What the procedures answer, as client code sees it: types from the router, so components never
// import server modules (the server's definitions live in server/posts/dto.ts).

export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** A post as its author sees it (posts.byId). */
export type OwnPost = RouterOutputs["posts"]["byId"];
/** What a save answers: the post without its html (posts.update). */
export type SavedPost = RouterOutputs["posts"]["update"];
/** A published post as readers see it (posts.latest). */
export type PublicPost = RouterOutputs["posts"]["latest"][number];
/** A published post's page: the post and its neighbours (posts.bySlug). */
export type PublicPostPage = RouterOutputs["posts"]["bySlug"];
/** A link to another published post. */
export type PostLink = NonNullable<PublicPostPage["previous"]>;
