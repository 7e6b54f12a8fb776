import type { Root } from "hast";
import { toMdast } from "hast-util-to-mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";

/**
 * An HTML tree as the Markdown the editor writes (GFM tables and strikethrough, `-` bullets, `_`
 * emphasis, fenced code): one style for pasted rich text and imported posts alike.
 */
export function hastToMarkdown(tree: Root): string {
  return toMarkdown(toMdast(tree), {
    extensions: [gfmToMarkdown()],
    bullet: "-",
    emphasis: "_",
    strong: "*",
    fences: true,
    rule: "-",
    listItemIndent: "one",
  }).trim();
}
