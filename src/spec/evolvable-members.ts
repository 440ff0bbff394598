import type { OpenApiDocument } from "./openapi-document.js";

/** Graph's evolvable-enum sentinel: the members after it in an enum are sent only to clients that ask. */
export const evolvableSentinel = "unknownFutureValue";

const byDocument = new WeakMap<OpenApiDocument, ReadonlySet<string>>();

/**
 * Every enum member that follows `unknownFutureValue` in one of the spec's schemas (`extracting`,
 * `validating`, `faculty`): Graph sends them only with `Prefer: include-unknown-enum-members`, and the
 * sentinel in their place otherwise (decisions.md#evolvable-members). Read from the spec, once.
 */
export function evolvableMembers(document: OpenApiDocument): ReadonlySet<string> {
  let members = byDocument.get(document);
  if (members === undefined) {
    const found = new Set<string>();
    for (const schema of Object.values(document.components.schemas)) {
      const values = typeof schema === "object" ? (schema as { enum?: unknown[] }).enum : undefined;
      const sentinel = values?.indexOf(evolvableSentinel) ?? -1;
      if (values && sentinel >= 0)
        for (const value of values.slice(sentinel + 1)) if (typeof value === "string") found.add(value);
    }
    members = found;
    byDocument.set(document, members);
  }
  return members;
}
