import { buffer } from "node:stream/consumers";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { ArchiveRefused } from "./archive-refused";

// Reads Medium and Substack exports. yauzl reads the central directory first and checks each entry
// while it streams (names with `..` or an absolute path are an error; `validateEntrySizes` stops an
// entry that inflates past the size it declared), so the limits below can trust the declared sizes and
// refuse a zip bomb before inflating a byte of it.

export const ZIP_LIMITS = {
  entries: 20_000,
  /** All entries together, uncompressed. */
  totalBytes: 512 * 1024 ** 2,
  /** One entry, uncompressed: no post or CSV is near this. */
  entryBytes: 16 * 1024 ** 2,
  /** Compression ratio beyond which an entry (of more than 1 MB) is taken for a bomb. */
  ratio: 100,
};

export interface ZipArchive {
  names(): string[];
  read(name: string): Promise<string>;
  close(): void;
}

function refuseName(name: string): void {
  // yauzl refuses these too; checked here so the writer reads one clear sentence.
  if (name.includes("\\") || name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.split("/").includes("..")) {
    throw new ArchiveRefused(`The archive contains a file with an unsafe path (${name.slice(0, 80)}); nothing was imported.`);
  }
}

export async function openZipArchive(file: string, limits = ZIP_LIMITS): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: false });
  } catch {
    throw new ArchiveRefused("The file is not a readable zip archive.");
  }
  const entries = new Map<string, Entry>();
  let total = 0;
  try {
    if (zip.entryCount > limits.entries) throw new ArchiveRefused(`The archive has ${zip.entryCount.toLocaleString("en")} files; at most ${limits.entries.toLocaleString("en")} are accepted.`);
    for await (const entry of zip.eachEntry()) {
      refuseName(entry.fileName);
      if (entry.fileName.endsWith("/")) continue;
      total += entry.uncompressedSize;
      if (entry.uncompressedSize > limits.entryBytes || total > limits.totalBytes) {
        throw new ArchiveRefused("The archive unpacks to more than InkWell accepts (it may be a zip bomb); nothing was imported.");
      }
      if (entry.uncompressedSize > 1024 ** 2 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.ratio) {
        throw new ArchiveRefused("The archive is compressed suspiciously well (it may be a zip bomb); nothing was imported.");
      }
      entries.set(entry.fileName, entry);
    }
  } catch (err) {
    zip.close();
    if (err instanceof ArchiveRefused) throw err;
    const reason = err instanceof Error ? err.message : "";
    if (/relative path|absolute path|invalid characters/.test(reason)) throw new ArchiveRefused("The archive contains a file with an unsafe path; nothing was imported.");
    throw new ArchiveRefused("The zip archive is damaged and cannot be read.");
  }
  return {
    names: () => [...entries.keys()],
    async read(name) {
      const entry = entries.get(name);
      if (!entry) throw new ArchiveRefused(`The archive has no ${name}.`);
      try {
        return (await buffer(await zip.openReadStreamPromise(entry))).toString("utf8");
      } catch {
        throw new ArchiveRefused(`${name} in the archive is damaged and cannot be read.`);
      }
    },
    close: () => zip.close(),
  };
}
