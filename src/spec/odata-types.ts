import type { JsonSchema, OpenApiDocument } from "./openapi-document.js";

/**
 * `@odata.type` spellings, as the spec lists them for each concrete type (`x-sds-odata-type`): the
 * canonical one, every spelling Microsoft published (with where), and the ones the kit derives.
 * A value is accepted when it is one of them in any letter case, with or without the leading `#`
 * (decisions.md#odata-type-spellings); the kit's servers always answer with the canonical one.
 */
export interface OdataTypeSpellings {
  canonical: string;
  /** Spelling -> where Microsoft published it. */
  published: Record<string, string>;
  /** Spelling -> why the kit accepts it too. */
  derived?: Record<string, string>;
  /**
   * Published spellings the live service refused, spelling -> the observation's source
   * (decisions.md#odata-namespace): accepted at the documented level, refused from the observed up.
   */
  refused?: Record<string, string>;
}

export const odataTypeKeyword = "x-sds-odata-type";

/** Every spelling named for a type: canonical first, then the published and derived ones. */
export function namedSpellings(spellings: OdataTypeSpellings): string[] {
  return [
    ...new Set([spellings.canonical, ...Object.keys(spellings.published), ...Object.keys(spellings.derived ?? {})]),
  ];
}

/** The spellings a client can send and the service took: every named one but those it refused. */
export function acceptedSpellings(spellings: OdataTypeSpellings): string[] {
  const refused = new Set(Object.keys(spellings.refused ?? {}).map(odataTypeKey));
  return namedSpellings(spellings).filter((spelling) => !refused.has(odataTypeKey(spelling)));
}

/** Every spelling the service refused, by its comparison key, with the source that says so. */
export function refusedSpellings(document: OpenApiDocument): Map<string, string> {
  const refused = new Map<string, string>();
  for (const { spellings } of odataTypeProperties(document))
    for (const [spelling, source] of Object.entries(spellings.refused ?? {}))
      refused.set(odataTypeKey(spelling), source);
  return refused;
}

/** What a spelling is compared by: no leading `#`, lower case. */
export function odataTypeKey(value: string): string {
  return value.replace(/^#/, "").toLowerCase();
}

/** A regular expression (ECMA-262, no flags: JSON Schema has none) matching the named spellings in any letter case, with or without `#`. */
export function caseInsensitivePattern(spellings: OdataTypeSpellings): string {
  const keys = [...new Set(namedSpellings(spellings).map(odataTypeKey))].sort();
  const letters = (key: string) =>
    [...key]
      .map((char) => {
        if (/[a-z]/.test(char)) return `[${char}${char.toUpperCase()}]`;
        return char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
  return `^#?(?:${keys.map(letters).join("|")})$`;
}

/** Every `@odata.type` property schema of the document that lists its spellings, with the schema that owns it. */
export function odataTypeProperties(
  document: OpenApiDocument,
): { schemaName: string; property: Record<string, unknown>; spellings: OdataTypeSpellings }[] {
  const found: { schemaName: string; property: Record<string, unknown>; spellings: OdataTypeSpellings }[] = [];
  for (const [schemaName, schema] of Object.entries(document.components.schemas)) {
    const property = propertyOf(schema, "@odata.type");
    const spellings = property?.[odataTypeKeyword] as OdataTypeSpellings | undefined;
    if (property && spellings) found.push({ schemaName, property, spellings });
  }
  return found;
}

function propertyOf(schema: JsonSchema, name: string): Record<string, unknown> | undefined {
  if (typeof schema !== "object") return undefined;
  const property = (schema.properties as Record<string, JsonSchema> | undefined)?.[name];
  return typeof property === "object" ? property : undefined;
}

export type OdataTypeNormalizer = (value: string) => string | undefined;

/**
 * Maps any accepted spelling, in any case, to its type's canonical spelling; undefined for a
 * value that names no type of the spec.
 */
export function odataTypeNormalizer(document: OpenApiDocument): OdataTypeNormalizer {
  const canonicalByKey = new Map<string, string>();
  for (const { spellings } of odataTypeProperties(document)) {
    for (const spelling of namedSpellings(spellings)) canonicalByKey.set(odataTypeKey(spelling), spellings.canonical);
  }
  return (value) => canonicalByKey.get(odataTypeKey(value));
}

/**
 * A copy of `value` with every `@odata.type` the spec knows replaced by its canonical spelling:
 * what the kit's servers store and answer with.
 */
export function canonicalizeOdataTypes<T>(value: T, normalize: OdataTypeNormalizer): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    // fromEntries defines each key as the object's own, `__proto__` included (an assignment would set the prototype).
    return Object.fromEntries(
      Object.entries(node).map(([key, inner]) => [
        key,
        key === "@odata.type" && typeof inner === "string" ? (normalize(inner) ?? inner) : walk(inner),
      ]),
    );
  };
  return walk(value) as T;
}
