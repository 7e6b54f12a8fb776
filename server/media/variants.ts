// What the worker makes of an image and how pages point at it: one definition shared by the worker, the
// route that serves the variants and the render pipeline. Pure: no I/O, no Next imports.

/** Variant widths; an image narrower than one of them gets its own width instead (never upscaled). */
export const VARIANT_WIDTHS = [320, 640, 960, 1200, 1600, 1920] as const;
/** The cover image and the OG image use this width (or the largest below it). */
export const COVER_WIDTH = 1200;
const MAX_VARIANT_WIDTH = 1920;

export type FallbackExt = "jpg" | "png" | "gif";
export type VariantExt = "avif" | "webp" | FallbackExt;

/** The content type of every extension we serve: always ours, never the uploader's. */
export const VARIANT_CONTENT_TYPES: Record<VariantExt, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
};

/** The widths to make for an image `width` pixels wide (orientation applied). */
export function variantWidths(width: number): number[] {
  const below = VARIANT_WIDTHS.filter((w) => w < width);
  const largest = Math.min(width, MAX_VARIANT_WIDTH);
  return [...new Set([...below, largest])].sort((a, b) => a - b);
}

/** The formats of an image's variants, best first; animated images get no AVIF (sharp writes still AVIF only). */
export function variantFormats(fallback: FallbackExt, animated: boolean): VariantExt[] {
  return animated ? ["webp", fallback] : ["avif", "webp", fallback];
}

/**
 * The address the Markdown holds: `/media/<hash>/<width>x<height>.<fallback>`. It carries everything
 * rendering needs (no database look-up in the render threads) and is itself a working image address
 * (the largest fallback variant), for feeds, the API and anything that reads Markdown.
 */
export function imageAddress(image: { contentHash: string; width: number; height: number; fallback: FallbackExt }): string {
  return `/media/${image.contentHash}/${image.width}x${image.height}.${image.fallback}`;
}

const ADDRESS = /^\/media\/([0-9a-f]{64})\/(\d{1,5})x(\d{1,5})\.(jpg|png|gif)$/;

export interface ImageAddress {
  contentHash: string;
  width: number;
  height: number;
  fallback: FallbackExt;
}

/** Reads an address imageAddress made (also behind APP_URL's origin); null for any other URL. */
export function parseImageAddress(src: string, appOrigin?: string): ImageAddress | null {
  const local = appOrigin && src.startsWith(`${appOrigin}/media/`) ? src.slice(appOrigin.length) : src;
  const match = ADDRESS.exec(local);
  if (!match) return null;
  const [, contentHash, width, height, fallback] = match;
  const w = Number(width);
  const h = Number(height);
  if (!contentHash || w < 1 || h < 1 || w > MAX_VARIANT_WIDTH) return null;
  return { contentHash, width: w, height: h, fallback: fallback as FallbackExt };
}

/** `/media/<hash>/<width>.<ext>`: one variant. */
export function variantAddress(contentHash: string, width: number, ext: VariantExt): string {
  return `/media/${contentHash}/${width}.${ext}`;
}

const VARIANT_FILE = /^(\d{1,5})\.(avif|webp|jpg|png|gif)$/;
const ADDRESS_FILE = /^(\d{1,5})x\d{1,5}\.(jpg|png|gif)$/;

/** The variant a served file name asks for (`960.webp`, or an address's `1920x1280.jpg`). */
export function parseVariantFile(file: string): { width: number; ext: VariantExt } | null {
  const match = VARIANT_FILE.exec(file) ?? ADDRESS_FILE.exec(file);
  if (!match) return null;
  return { width: Number(match[1]), ext: match[2] as VariantExt };
}

/** The variant width closest to `wanted` without going over (the smallest when all are larger). */
export function widthFor(address: ImageAddress, wanted: number): number {
  const widths = variantWidths(address.width);
  return widths.filter((w) => w <= wanted).pop() ?? widths[0] ?? address.width;
}

/** Posts are read in a column at most about 720 CSS pixels wide. */
const SIZES = "(max-width: 760px) 100vw, 720px";

const escapeAttr = (value: string) =>
  value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * A `<picture>` with AVIF and WebP sources and the fallback in `<img>`, every width in `srcset`,
 * `width`/`height` reserving the space (no layout shift), and lazy loading for all but the first image.
 */
export function pictureHtml(address: ImageAddress, attrs: { alt: string; title?: string; first: boolean }): string {
  const widths = variantWidths(address.width);
  const srcset = (ext: VariantExt) => widths.map((w) => `${variantAddress(address.contentHash, w, ext)} ${w}w`).join(", ");
  const animated = address.fallback === "gif";
  const sources = variantFormats(address.fallback, animated)
    .filter((ext) => ext !== address.fallback)
    .map((ext) => `<source type="${VARIANT_CONTENT_TYPES[ext]}" srcset="${srcset(ext)}" sizes="${SIZES}">`)
    .join("");
  const largest = widths[widths.length - 1] ?? address.width;
  const loading = attrs.first ? "" : ' loading="lazy" decoding="async"';
  const title = attrs.title ? ` title="${escapeAttr(attrs.title)}"` : "";
  const img =
    `<img src="${variantAddress(address.contentHash, largest, address.fallback)}" srcset="${srcset(address.fallback)}" sizes="${SIZES}"` +
    ` width="${address.width}" height="${address.height}" alt="${escapeAttr(attrs.alt)}"${title}${loading}>`;
  return `<picture>${sources}${img}</picture>`;
}
