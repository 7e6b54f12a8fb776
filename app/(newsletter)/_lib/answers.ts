// The no-JavaScript forms post to route handlers, which answer with a redirect (303: the browser GETs the
// page) carrying a code, never a message: a crafted address cannot put its own words on our pages.

export const subscribeProblems = {
  "invalid-email": "Enter a valid email address (at most 254 characters).",
  "unknown-writer": "There is no writer with that name on InkWell.",
  "too-many": "Too many subscription requests. Try again in a while.",
  "used-link": "This link has expired or was already used. Subscribe again to get a new one.",
} as const;
export type SubscribeProblem = keyof typeof subscribeProblems;

export function problemMessage(code: string | undefined): string | undefined {
  return code && code in subscribeProblems ? subscribeProblems[code as SubscribeProblem] : undefined;
}

/** A form field as a string (a missing or file field is empty). */
export function field(form: FormData | null, name: string): string {
  const value = form?.get(name);
  return typeof value === "string" ? value : "";
}

export const param = (value: string | string[] | undefined): string | undefined => (typeof value === "string" ? value : undefined);
