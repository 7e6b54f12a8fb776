import { env } from "./env.js";

// The app's public addresses: every absolute URL it hands out (feeds, the REST API, pages' metadata,
// the sitemap) starts with APP_URL.

export function absoluteUrl(path: string): string {
  return new URL(path, env.APP_URL).toString();
}

/** A writer's page: /@username. */
export function authorPath(author: { username: string }): string {
  return `/@${author.username}`;
}

/** A published post's page: /@username/slug. */
export function postPath(post: { slug: string; author: { username: string } }): string {
  return `${authorPath(post.author)}/${post.slug}`;
}
