import { open, readFile } from "node:fs/promises";
import { ArchiveRefused } from "./archive-refused";
import type { SourceArchive } from "./source-post";
import { readGhostExport } from "./sources/ghost";
import { readMediumExport } from "./sources/medium";
import { readSubstackExport } from "./sources/substack";
import { readWordPressExport } from "./sources/wordpress";
import { openZipArchive } from "./zip-archive";

// Tells the format from the file's first bytes (never from its name) and reads it with its reader.
// JSON and XML files are read whole: the upload limit (IMPORT_MAX_BYTES) bounds them.

async function firstBytes(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function readArchive(file: string): Promise<SourceArchive> {
  const head = await firstBytes(file);
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const zip = await openZipArchive(file);
    try {
      const names = zip.names();
      if (names.some((name) => /(^|\/)posts\.csv$/.test(name))) return await readSubstackExport(zip);
      return await readMediumExport(zip);
    } finally {
      zip.close();
    }
  }
  const start = head.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return readGhostExport(await readFile(file, "utf8"));
  if (start.startsWith("<")) return readWordPressExport(await readFile(file, "utf8"));
  throw new ArchiveRefused("InkWell cannot read this file: upload a Ghost export (.json), a WordPress export (.xml), or a Medium or Substack export (.zip).");
}
