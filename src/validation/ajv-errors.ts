import type { ErrorObject } from "ajv";
import type { Violation, ViolationLocation } from "./violation.js";

/** Marks a write-only property in the declared-only schemas (schema-compiler.ts). */
export const writeOnlyKeyword = "x-sds-write-only";

/** Annotation the validators add to polymorphic schemas: the `@odata.type` values each accepts. */
export const allowedTypesKeyword = "x-allowed-odata-types";
/** Annotation holding the canonical spelling of each branch, used in messages. */
export const canonicalTypesKeyword = "x-canonical-odata-types";

const formatNames: Record<string, string> = {
  uuid: "a GUID (for example 6fd2c87f-b296-42f0-b197-1e91e994b900)",
  date: "a date as YYYY-MM-DD",
  "date-time": "an RFC 3339 date-time (for example 2021-07-13T20:55:17Z)",
  uri: "an absolute URI",
  hostname: "a host name (for example testschool.edu)",
  int64: "a 64-bit integer",
};

function pointer(base: string, property: string): string {
  return `${base}/${property.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

function list(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

/**
 * Turns Ajv's errors into violations a person can act on. Two kinds of noise are removed:
 * the per-branch errors of a nullable `oneOf` (`X | null`), and the `oneOf` summary itself, so a
 * bad value inside an object reports what is wrong inside it, once.
 */
export function toViolations(
  errors: readonly ErrorObject[],
  location: ViolationLocation,
  sourceOf: (error: ErrorObject) => string | undefined = () => undefined,
): Violation[] {
  const unionErrors = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  const dropped = new Set<ErrorObject>();
  const merged: Violation[] = [];

  for (const union of unionErrors) {
    const at = union.instancePath;
    const typeErrorsHere = errors.filter((e) => e.keyword === "type" && e.instancePath === at);
    const deeper = errors.filter(
      (e) =>
        e !== union &&
        !typeErrorsHere.includes(e) &&
        !unionErrors.includes(e) &&
        (e.instancePath === at || e.instancePath.startsWith(`${at}/`)),
    );
    dropped.add(union);
    for (const e of typeErrorsHere) dropped.add(e);
    if (deeper.length === 0 && typeErrorsHere.length > 0) {
      // The value matched no branch's type at all: one violation naming every accepted type.
      const types = [...new Set(typeErrorsHere.map((e) => String(e.params.type)))];
      merged.push({
        location,
        path: at,
        rule: "type",
        message: `must be ${types.join(" or ")}`,
        expected: types,
        actual: union.data,
        ...withSource(sourceOf(union)),
      });
    }
  }

  const violations = errors
    .filter((e) => !dropped.has(e))
    .map((e) => ({ ...toViolation(e, location), ...withSource(sourceOf(e)) }));
  return dedupe(withoutShadowedFormats([...merged, ...violations]));
}

/** A value of the wrong type also fails its format (1.5 is not an int64); the type error says it all. */
function withoutShadowedFormats(violations: Violation[]): Violation[] {
  const wrongType = new Set(violations.filter((v) => v.rule === "type").map((v) => v.path));
  return violations.filter((v) => v.rule !== "format" || !wrongType.has(v.path));
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.location}|${v.path}|${v.rule}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const withSource = (source: string | undefined): { source?: string } => (source === undefined ? {} : { source });

function toViolation(error: ErrorObject, location: ViolationLocation): Violation {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const property = String(params.missingProperty);
      return { location, path: pointer(at, property), rule: "required", message: `'${property}' is required` };
    }
    case "additionalProperties": {
      const property = String(params.additionalProperty);
      const schema = error.parentSchema as { properties?: Record<string, unknown>; title?: string } | undefined;
      const allowed = Object.entries(schema?.properties ?? {})
        .filter(([, s]) => s !== false)
        .map(([name]) => name);
      const owner = schema?.title ? ` of ${schema.title}` : "";
      return {
        location,
        path: pointer(at, property),
        rule: "additionalProperties",
        message: `'${property}' is not a property${owner}; allowed: ${allowed.join(", ")}`,
        expected: allowed,
        actual: property,
      };
    }
    case "not": {
      // The spec writes "must not be sent" as `not: {}`; the declared-only check writes "must not
      // come back" (a write-only property in a response) the same way, marked.
      const property = at.slice(at.lastIndexOf("/") + 1);
      if ((error.parentSchema as Record<string, unknown> | undefined)?.[writeOnlyKeyword]) {
        return {
          location,
          path: at,
          rule: "writeOnly",
          message: `'${property}' is write-only: a response must never carry it`,
          actual: error.data,
        };
      }
      return {
        location,
        path: at,
        rule: "readOnly",
        message: `'${property}' is set by the service and must not be sent`,
        actual: error.data,
      };
    }
    case "false schema": {
      const property = at.slice(at.lastIndexOf("/") + 1);
      return {
        location,
        path: at,
        rule: "readOnly",
        message: `'${property}' is set by the service and must not be sent`,
        actual: error.data,
      };
    }
    case "discriminator": {
      const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
      const allowed = (schema[allowedTypesKeyword] as string[] | undefined) ?? [];
      const canonical = (schema[canonicalTypesKeyword] as string[] | undefined) ?? allowed;
      // The closed request copies are titled "<type> (in a request)"; the type is what a reader needs.
      const title = typeof schema.title === "string" ? `${schema.title.replace(/ \(in a request\)$/, "")} ` : "";
      const missing = params.error === "tag";
      return {
        location,
        path: pointer(at, "@odata.type"),
        rule: "odataType",
        message: `${missing ? "'@odata.type' is required" : `'@odata.type' ${JSON.stringify(params.tagValue)} is not a known ${title}type`}: use one of ${canonical.join(", ")} (every spelling Microsoft published is accepted too, in any letter case: spec/decisions.md#odata-type-spellings)`,
        expected: allowed,
        actual: missing ? undefined : params.tagValue,
      };
    }
    case "enum": {
      const allowed = params.allowedValues as unknown[];
      return {
        location,
        path: at,
        rule: "enum",
        message: `must be one of ${list(allowed)}, got ${JSON.stringify(error.data)}`,
        expected: allowed,
        actual: error.data,
      };
    }
    case "const":
      return {
        location,
        path: at,
        rule: "const",
        message: `must be ${JSON.stringify(params.allowedValue)}, got ${JSON.stringify(error.data)}`,
        expected: params.allowedValue,
        actual: error.data,
      };
    case "format": {
      const format = String(params.format);
      return {
        location,
        path: at,
        rule: "format",
        message: `must be ${formatNames[format] ?? `in format '${format}'`}, got ${JSON.stringify(error.data)}`,
        expected: format,
        actual: error.data,
      };
    }
    case "type":
      return {
        location,
        path: at,
        rule: "type",
        message: `must be ${String(params.type).replace(",", " or ")}, got ${describeType(error.data)}`,
        expected: params.type,
        actual: error.data,
      };
    default:
      return {
        location,
        path: at,
        rule: error.keyword,
        message: error.message ?? `breaks the '${error.keyword}' rule`,
        expected: error.schema,
        actual: error.data,
      };
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
