// eslint-plugin-drizzle ships no type declarations; eslint.config.mjs only passes it to ESLint.
declare module "eslint-plugin-drizzle" {
  import type { ESLint } from "eslint";
  const plugin: ESLint.Plugin;
  export default plugin;
}
