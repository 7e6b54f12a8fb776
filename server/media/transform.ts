import sharp, { type Metadata, type Sharp } from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import { variantFormats, variantWidths, type FallbackExt, type VariantExt } from "./variants";

// The image work itself, on bytes in memory: type from the bytes, refusals, orientation, variants and a
// placeholder. No storage and no database here (the benchmark runs it against bare sharp).

/** An image the worker will never process, whatever the retries: the message is for the writer. */
export class ImageRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImageRefusedError";
  }
}

export interface TransformLimits {
  maxPixels: number;
}

export interface Variant {
  width: number;
  ext: VariantExt;
  data: Buffer;
}

export interface TransformedImage {
  format: string;
  /** Size of the largest variant (orientation applied). */
  width: number;
  height: number;
  animated: boolean;
  fallback: FallbackExt;
  widths: number[];
  placeholder: string;
  variants: Variant[];
}

/** What sharp may decode: the formats writers upload. SVG (scripts, external references) never. */
const ACCEPTED_FORMATS = new Set(["jpeg", "png", "webp", "gif", "heif"]);

const NOT_AN_IMAGE = "This file is not an image InkWell can use: upload a JPEG, PNG, WebP, AVIF or GIF.";

/** Reads the header only (no decoding): the real format and size, whatever the file's name said. */
export async function inspectImage(bytes: Buffer, limits: TransformLimits): Promise<Metadata> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { animated: true, limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefusedError(NOT_AN_IMAGE);
  }
  if (metadata.format === "svg") throw new ImageRefusedError("SVG images are not accepted (they can carry scripts): upload a PNG or JPEG instead.");
  // HEIF holds AVIF (AV1) or a phone's HEIC (HEVC). sharp's own libvips decodes AV1 only (HEVC is
  // patent-encumbered), so a HEIC photo would pass this header check and then fail as "damaged".
  if (metadata.format === "heif" && metadata.compression !== "av1") {
    throw new ImageRefusedError(
      "HEIC photos (an iPhone's default format) cannot be processed here yet: export the photo as JPEG first (on an iPhone, Settings → Camera → Formats → Most Compatible makes new photos JPEG), then upload it.",
    );
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) throw new ImageRefusedError(NOT_AN_IMAGE);
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width < 1 || height < 1) throw new ImageRefusedError(NOT_AN_IMAGE);
  // `height` of an animated image is every frame's together: the pixels decoding would allocate.
  if (width * height > limits.maxPixels) {
    throw new ImageRefusedError(
      `This image is too large to process (${width} × ${height} pixels; at most ${Math.round(limits.maxPixels / 1_000_000)} megapixels).`,
    );
  }
  return metadata;
}

function encode(pipeline: Sharp, ext: VariantExt): Sharp {
  switch (ext) {
    case "avif":
      return pipeline.avif({ quality: 50, effort: 2 });
    case "webp":
      return pipeline.webp({ quality: 75, effort: 3 });
    case "jpg":
      return pipeline.jpeg({ quality: 80, mozjpeg: true });
    case "png":
      return pipeline.png({ compressionLevel: 9, palette: false });
    case "gif":
      return pipeline.gif();
  }
}

/** sharp's message for a file it could not decode, as a sentence for the writer. */
function decodeFailure(err: unknown): ImageRefusedError {
  const detail = err instanceof Error ? err.message.replace(/^Vips\w*:\s*/, "").split("\n")[0] : String(err);
  return new ImageRefusedError(`This image is damaged or incomplete and could not be read (${detail}).`);
}

/**
 * Makes every variant of an image: orientation applied first, then resized (never upscaled) and written
 * in AVIF, WebP and a fallback with no metadata at all (sharp writes none unless asked: no EXIF, no GPS,
 * no camera serials). Throws ImageRefusedError for what no retry would fix.
 */
export async function transformImage(bytes: Buffer, limits: TransformLimits): Promise<TransformedImage> {
  const metadata = await inspectImage(bytes, limits);
  const pages = metadata.pages ?? 1;
  const animated = pages > 1;
  const frameHeight = animated ? (metadata.pageHeight ?? metadata.height ?? 1) : (metadata.height ?? 1);
  // EXIF orientations 5–8 turn the picture a quarter: width and height swap.
  const turned = (metadata.orientation ?? 1) >= 5;
  const orientedWidth = turned ? frameHeight : (metadata.width ?? 1);
  const orientedHeight = turned ? (metadata.width ?? 1) : frameHeight;
  const fallback: FallbackExt = animated ? "gif" : metadata.hasAlpha ? "png" : "jpg";
  const widths = variantWidths(orientedWidth);
  const input = () => sharp(bytes, { animated, limitInputPixels: limits.maxPixels, failOn: "warning" }).rotate();

  try {
    const variants: Variant[] = [];
    for (const width of widths) {
      const resized = input().resize({ width, withoutEnlargement: true });
      for (const ext of variantFormats(fallback, animated)) {
        variants.push({ width, ext, data: await encode(resized.clone(), ext).toBuffer() });
      }
    }
    const largest = widths[widths.length - 1] ?? orientedWidth;
    const thumb = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "warning" })
      .rotate()
      .resize(100, 100, { fit: "inside" })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const placeholder = Buffer.from(rgbaToThumbHash(thumb.info.width, thumb.info.height, thumb.data)).toString("base64");
    return {
      format: metadata.format === "heif" && metadata.compression === "av1" ? "avif" : (metadata.format ?? "unknown"),
      width: largest,
      height: Math.max(1, Math.round((orientedHeight * largest) / orientedWidth)),
      animated,
      fallback,
      widths,
      placeholder,
      variants,
    };
  } catch (err) {
    if (err instanceof ImageRefusedError) throw err;
    throw decodeFailure(err);
  }
}
