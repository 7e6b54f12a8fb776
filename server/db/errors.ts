// PostgreSQL error codes the services act on. postgres.js puts the server's code on the error, and
// Drizzle wraps it (the code is then on `cause`).

function postgresCode(err: unknown): string | undefined {
  const error = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = error?.cause?.code ?? error?.code;
  return typeof code === "string" ? code : undefined;
}

/** A unique index refused the row (23505 unique_violation): someone else took the value first. */
export function isUniqueViolation(err: unknown): boolean {
  return postgresCode(err) === "23505";
}
