import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { env } from "../env.js";

// Where uploaded archives and built exports are kept between the web request and the worker. A folder
// on disk (PORTABILITY_DIR) behind a small interface, so it can move to the object store later; the
// web and the worker must see the same folder (one machine, or a shared volume).

export interface ArchiveStorage {
  /** A stream that writes the object; it exists once the stream finishes. */
  writer(key: string): Promise<Writable>;
  reader(key: string): Readable;
  /** A local file path to the object, for readers that need random access (zip central directory). */
  localPath(key: string): string;
  size(key: string): Promise<number | null>;
  remove(key: string): Promise<void>;
}

/** Keys are made here from ids, never from user input; the check keeps it that way. */
function fileFor(root: string, key: string): string {
  if (!/^[a-z]+\/[0-9a-f-]{36}\.[a-z]+$/.test(key)) throw new Error(`not a storage key: ${key}`);
  return path.join(root, key);
}

export function folderStorage(root: string): ArchiveStorage {
  return {
    async writer(key) {
      const file = fileFor(root, key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      return createWriteStream(file, { mode: 0o600 });
    },
    reader: (key) => createReadStream(fileFor(root, key)),
    localPath: (key) => fileFor(root, key),
    async size(key) {
      return stat(fileFor(root, key)).then((s) => s.size, () => null);
    },
    async remove(key) {
      await rm(fileFor(root, key), { force: true });
    },
  };
}

export const archiveStorage: ArchiveStorage = folderStorage(path.resolve(env.PORTABILITY_DIR));

export const importKeyFor = (importId: string) => `imports/${importId}.upload`;
export const exportKeyFor = (exportId: string) => `exports/${exportId}.zip`;
