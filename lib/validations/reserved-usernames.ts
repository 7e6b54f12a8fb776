// Names no writer may take: the first path segment of every app route and public file, and a few the
// platform may need. Writers' pages live at /@name, so today no route and no writer address collide; the
// names are kept back anyway so that a name never reads as InkWell's own page (`@dashboard`, `@api`) and
// so a bare `/name` address stays possible. tests/unit/reserved-usernames.test.ts reads app/ and public/
// and fails when a top-level route is missing here, so a new route cannot be forgotten.

/** First path segments of app/ and public/ (route groups opened up; files as they are served). */
export const ROUTE_SEGMENTS = [
  "api",
  "confirm-email",
  "dashboard",
  "editor",
  "favicon.svg",
  "feed.xml",
  "forgot-password",
  "media",
  "reset-password",
  "robots.txt",
  "search",
  "sign-in",
  "sign-up",
  "sitemap.xml",
  "subscribe",
  "subscriptions",
  "tags",
  "unsubscribe",
  "verify-email",
] as const;

/** Pages that are not top-level routes (yet) but read as the platform's own. */
const PLATFORM_NAMES = ["_next", "about", "admin", "help", "inkwell", "login", "logout", "new", "posts", "privacy", "root", "settings", "signin", "signup", "static", "support", "system", "terms", "users", "well-known"];

/**
 * A segment in every spelling a username could give it: usernames are [a-z0-9_], so `sign-in` is also
 * kept back as `sign_in` and `signin`, and `feed.xml` as `feed` and `feed_xml`.
 */
function spellings(segment: string): string[] {
  const withoutExtension = segment.replace(/\.[a-z]+$/, "");
  return [segment, withoutExtension].flatMap((name) => [name, name.replace(/[^a-z0-9]+/g, "_"), name.replace(/[^a-z0-9]+/g, "")]);
}

const reserved: ReadonlySet<string> = new Set([...ROUTE_SEGMENTS, ...PLATFORM_NAMES].flatMap(spellings));

/** Whether a (lower-cased) username is kept back for the platform. */
export function isReservedUsername(username: string): boolean {
  return reserved.has(username.toLowerCase());
}

export const RESERVED_USERNAME_MESSAGE = "That username is reserved for a page of InkWell. Choose another.";
