/**
 * Where an assertion of the spec comes from (decisions.md#provenance), as `x-sds-source` gives it:
 * - `documented §<section> ...`: Microsoft's SDS pages (reference/graph-sds-api.md);
 * - `csdl §<section> ...`: Microsoft's metadata and the SDKs generated from it;
 * - `graph-convention §4 ...` or `graph-convention (<what>)`: Graph-wide documentation;
 * - `observed decisions.md#<entry>`: what the live service was seen to do (a captured response,
 *   production code that relied on a behaviour, Microsoft's own test collections), with the
 *   evidence in the entry;
 * - `kit decisions.md#<entry>`: a decision of the kit's.
 */
export type SourceKind = "documented" | "csdl" | "graph-convention" | "observed" | "kit";

export const sourceKeyword = "x-sds-source";
/** On an enum narrower than the documented one: each value left out, with the source of leaving it out. */
export const excludedValuesKeyword = "x-sds-excluded-values";

const sourcePattern =
  /^(?:(documented|csdl) §\d+(?:\.\d+)?(?: #\d+)?(?: (?:\[[A-Z-]+\])+)?(?: \(.+\))?|graph-convention(?: §4)?(?: \(.+\))?|(observed|kit) decisions\.md#([a-z0-9-]+))$/;

export interface ParsedSource {
  kind: SourceKind;
  /** For `observed` and `kit`, the decisions.md entry that holds the evidence or the decision. */
  decision?: string;
}

/** Reads a source string; undefined when it does not follow the grammar above. */
export function parseSource(source: string): ParsedSource | undefined {
  const match = sourcePattern.exec(source);
  if (!match) return undefined;
  if (match[3]) return { kind: match[2] as "observed" | "kit", decision: match[3] };
  if (source.startsWith("graph-convention")) return { kind: "graph-convention" };
  return { kind: match[1] as "documented" | "csdl" };
}

/** `x-sds-source` as written: one source, or a map from keyword to source with a `default`. */
export type SourceAnnotation = string | Record<string, string>;

/** The source of one keyword of a node's annotation (the default when the keyword has none of its own). */
export function sourceForKeyword(annotation: unknown, keyword: string): string | undefined {
  if (typeof annotation === "string") return annotation;
  if (annotation !== null && typeof annotation === "object") {
    const map = annotation as Record<string, unknown>;
    const own = map[keyword];
    if (typeof own === "string") return own;
    return typeof map.default === "string" ? map.default : undefined;
  }
  return undefined;
}

/**
 * The levels at which a request or response is judged, from the loosest (decisions.md#conformance-levels):
 * `documented` holds Microsoft's pages, metadata and Graph's conventions; `observed` adds what the
 * live service was seen to do (where it differs from a page, the observation wins); `kit` adds the
 * kit's own decisions.
 */
export type ConformanceLevel = "documented" | "observed" | "kit";
export const conformanceLevels: readonly ConformanceLevel[] = ["documented", "observed", "kit"];

/** Whether an assertion with this source is held at a level: `observed` ones from the observed level up, `kit` ones only at the kit level. */
export function heldAt(source: string | undefined, level: ConformanceLevel): boolean {
  if (level === "kit" || source === undefined) return true;
  if (source.startsWith("kit ")) return false;
  return level === "observed" || !source.startsWith("observed ");
}

/** Whether `level` holds at least what `floor` holds. */
export function atLeast(level: ConformanceLevel, floor: ConformanceLevel): boolean {
  return conformanceLevels.indexOf(level) >= conformanceLevels.indexOf(floor);
}
