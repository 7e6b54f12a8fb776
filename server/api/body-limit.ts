// tRPC's fetch adapter has no body size limit; the route enforces one before anything is parsed.

/** Largest request body accepted: a full post (100,000 characters, up to 4 bytes each) plus JSON. */
export const MAX_BODY_BYTES = 512 * 1024;

const tooLarge = () =>
  Response.json(
    { error: { code: "PAYLOAD_TOO_LARGE", message: `The request is too large (at most ${MAX_BODY_BYTES / 1024} KB).` } },
    { status: 413 },
  );

/**
 * Returns a 413 response for an oversized body, or the request to handle (re-created with its body
 * read, when the size was not declared up front and had to be counted while reading).
 */
export async function limitBody(req: Request): Promise<Request | Response> {
  if (req.method !== "POST" || !req.body) return req;
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > 0) return declared > MAX_BODY_BYTES ? tooLarge() : req;

  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
}
