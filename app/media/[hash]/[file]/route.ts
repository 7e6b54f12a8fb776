import { Readable } from "node:stream";
import { logger } from "@/server/logger";
import { mediaStorage, variantKey } from "@/server/media/storage";
import { parseVariantFile, VARIANT_CONTENT_TYPES } from "@/server/media/variants";

// Serves the worker's variants by content hash. The content type is ours, from the extension the worker
// wrote (never anything an uploader sent); the bytes under a key never change, so caches keep them a year.
// Originals are never served: only re-encoded, metadata-free variants leave the store.

export const dynamic = "force-dynamic";

const notFound = () => new Response("No such image.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export async function GET(_request: Request, { params }: { params: Promise<{ hash: string; file: string }> }): Promise<Response> {
  const { hash, file } = await params;
  const variant = parseVariantFile(file);
  if (!/^[0-9a-f]{64}$/.test(hash) || !variant) return notFound();
  try {
    const object = await mediaStorage().get(variantKey(hash, variant.width, variant.ext));
    if (!object) return notFound();
    return new Response(Readable.toWeb(object.body) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": VARIANT_CONTENT_TYPES[variant.ext],
        "content-length": String(object.size),
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    });
  } catch (err) {
    logger.error({ err, component: "media", hash, file }, "could not read an image from storage");
    return new Response("The image could not be read just now.", { status: 503, headers: { "retry-after": "5" } });
  }
}
