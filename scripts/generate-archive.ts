// Writes a WordPress export (WXR) of N generated posts, for trying large imports by hand:
//   npx tsx scripts/generate-archive.ts [count=5000] [file=wordpress-5000.xml]
import { writeFile } from "node:fs/promises";
import { generateWordPressExport } from "../tests/fixtures/portability/generate-wordpress";

const count = Number(process.argv[2] ?? 5000);
const file = process.argv[3] ?? `wordpress-${count}.xml`;
if (!Number.isInteger(count) || count < 1) throw new Error("usage: tsx scripts/generate-archive.ts [count] [file]");
await writeFile(file, generateWordPressExport(count));
console.log(`wrote ${count} posts to ${file}`);
