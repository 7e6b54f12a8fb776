/** JSON.parse for text from outside (a pub/sub message, a stored value): null instead of a throw. */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
