/** Joins class names, skipping falsy ones: `cn("a", pending && "opacity-60")`. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}
