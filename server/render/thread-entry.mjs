// The render thread's module when running from the source tree (tests, `npm run dev`, `npm run worker`,
// benchmarks): a worker thread starts on plain Node, so it loads tsx before the TypeScript task.
// Production builds ship server/render/thread.ts bundled as render-thread.mjs instead (see pool.ts).
import { register } from "tsx/esm/api";

register();
// A computed specifier: TypeScript (checkJs) refuses a literal ".ts" import, which only tsx can load.
const task = await import(new URL("thread.ts", import.meta.url).href);
export default task.default;
