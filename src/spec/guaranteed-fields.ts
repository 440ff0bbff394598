import type { OpenApiResponse } from "./openapi-document.js";

/** On a response: the fields Microsoft's pages show in it, in prose or in every example (decisions.md#guaranteed-fields). */
export const guaranteedKeyword = "x-sds-guaranteed";

/**
 * What a response promises beyond its schema: fields present and not null, each a path into the
 * body (`state`, or `value[].state` for each item of a collection), and where the promise comes from.
 */
export interface GuaranteedFields {
  fields: string[];
  source: string;
}

export function guaranteedFields(response: OpenApiResponse | undefined): GuaranteedFields | undefined {
  const value = (response as Record<string, unknown> | undefined)?.[guaranteedKeyword];
  if (value === null || typeof value !== "object") return undefined;
  const { fields, source } = value as Partial<GuaranteedFields>;
  return Array.isArray(fields) && typeof source === "string" ? { fields, source } : undefined;
}

/** A body path in the guarantee's notation: JSON path segments with array indices as `[]` (`value[].state`). */
export function guaranteePath(segments: readonly string[]): string {
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[]`;
    return path === "" ? segment : `${path}.${segment}`;
  }, "");
}

/** Each guaranteed field the body lacks or holds as null, by its concrete path (`value[1].state`). */
export function missingGuaranteedFields(guaranteed: GuaranteedFields, body: unknown): string[] {
  const missing: string[] = [];
  for (const field of guaranteed.fields) {
    const walk = (node: unknown, parts: readonly string[], at: string) => {
      const [head, ...rest] = parts;
      if (head === undefined) return;
      const isItems = head.endsWith("[]");
      const name = isItems ? head.slice(0, -2) : head;
      const child = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[name] : undefined;
      const here = at === "" ? name : `${at}.${name}`;
      if (isItems) {
        if (Array.isArray(child)) for (const [index, item] of child.entries()) walk(item, rest, `${here}[${index}]`);
        return;
      }
      if (rest.length === 0) {
        if (child === undefined || child === null) missing.push(here);
        return;
      }
      walk(child, rest, here);
    };
    walk(body, field.split("."), "");
  }
  return missing;
}
