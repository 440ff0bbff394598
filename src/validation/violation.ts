/** Where in a request or response a rule was broken. */
export type ViolationLocation = "path" | "query" | "header" | "body" | "status";

/** One broken rule of the spec, phrased for the person who has to fix it. */
export interface Violation {
  location: ViolationLocation;
  /** JSON Pointer into the location: `/dataProvider/@odata.type`, `/$top`, or `` for the whole. */
  path: string;
  /** The JSON Schema keyword or kit rule that failed: `required`, `enum`, `format`, `readOnly`, `odataType`, ... */
  rule: string;
  /** One sentence: what is wrong, and what is expected. */
  message: string;
  expected?: unknown;
  actual?: unknown;
  /**
   * Where the broken rule comes from (`x-sds-source`: documented, csdl, graph-convention, or a kit
   * decision); a `kit` rule is held at the kit level only (decisions.md#conformance-levels).
   */
  source?: string;
}

/** `body /dataProvider/@odata.type: must be one of ...` — the one-line form used in errors and logs. */
export function formatViolation(violation: Violation): string {
  const where = violation.path === "" ? violation.location : `${violation.location} ${violation.path}`;
  return `${where}: ${violation.message}`;
}
