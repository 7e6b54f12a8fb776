import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { appRouter, createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSession } from "@/server/auth/session";
import { makeQueryClient } from "./query-client";

// Server components call procedures directly (no HTTP) and hand prefetched data to client components.

const createContext = cache(async () =>
  createTRPCContext({ session: await getSession(), headers: new Headers(await headers()) }),
);

export const getQueryClient = cache(makeQueryClient);

/** Query options for prefetching in server components: `void queryClient.prefetchQuery(trpc.posts.list.queryOptions({}))`. */
export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: createContext, queryClient: getQueryClient });

/** Direct server-side calls, for pages that render data themselves (and call notFound() on NOT_FOUND). */
export const api = cache(async () => createCaller(await createContext()));

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
