/**
 * Deepest nesting of arrays and objects the kit reads: a request body deeper gets 400 before anything
 * walks it, and a value deeper is not judged (decisions.md#request-size). Walking a value is
 * recursive in every validator, and one nested thousands deep overflows the stack; no value the
 * spec admits comes near (a profile nests six deep).
 */
export const maxJsonDepth = 64;

/** Whether JSON text nests arrays and objects deeper than `max`, read without parsing (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return false;
}

/** Whether a value nests arrays and objects deeper than `max`, walked without recursion. */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  const seen = new Set<object>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    if (depth + 1 > max) return true;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node))
      pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}
