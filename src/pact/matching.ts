import type { BodyRule, Matcher } from "./pact-file.js";

/** The matchers that apply at a path: its own rule, else the nearest ancestor's type rule (it cascades). */
export function matchersAt(rules: BodyRule[], segments: string[]): { matchers: Matcher[]; own: boolean } | undefined {
  const fits = (rule: BodyRule, path: string[]) =>
    rule.segments.length === path.length && rule.segments.every((s, i) => s === "*" || s === path[i]);
  const own = rules.find((rule) => fits(rule, segments));
  if (own) return { matchers: own.matchers, own: true };
  for (let length = segments.length - 1; length >= 0; length -= 1) {
    const ancestor = rules.find((rule) => fits(rule, segments.slice(0, length)));
    if (ancestor?.matchers.some((m) => m.match === "type")) return { matchers: ancestor.matchers, own: false };
    if (ancestor) return undefined;
  }
  return undefined;
}

const jsonType = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const where = (segments: string[]) => `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("")}`;

/**
 * Where an actual body would fail a pact's expected body and its matching rules, as Pact's
 * verifier judges a response: equality unless a matcher says otherwise; `type` (cascading to what
 * is below), `regex`, `integer`, `decimal`, `number`, `boolean`, `include`, `date`/`timestamp`
 * read as strings; objects may carry more keys than expected. For predicting what a stateless
 * mock answers, not for verification itself, which Pact does.
 */
export function bodyMismatches(
  expected: unknown,
  actual: unknown,
  rules: BodyRule[],
  segments: string[] = [],
): string[] {
  const applying = matchersAt(rules, segments);
  const matchers = applying?.matchers ?? [];
  const at = where(segments);
  if (matchers.length > 0) {
    for (const matcher of matchers) {
      switch (matcher.match) {
        case "regex":
          if (typeof actual !== "string" || !new RegExp(String(matcher.regex)).test(actual))
            return [`${at}: ${JSON.stringify(actual)} does not match /${matcher.regex}/`];
          return [];
        case "include":
          return typeof actual === "string" && actual.includes(String(matcher.value))
            ? []
            : [`${at}: ${JSON.stringify(actual)} does not include ${JSON.stringify(matcher.value)}`];
        case "integer":
          return Number.isInteger(actual) ? [] : [`${at}: ${JSON.stringify(actual)} is not an integer`];
        case "decimal":
        case "number":
          return typeof actual === "number" ? [] : [`${at}: ${JSON.stringify(actual)} is not a number`];
        case "boolean":
          return typeof actual === "boolean" ? [] : [`${at}: ${JSON.stringify(actual)} is not a boolean`];
        case "date":
        case "time":
        case "timestamp":
        case "datetime":
          return typeof actual === "string" ? [] : [`${at}: ${JSON.stringify(actual)} is not a string`];
        case "type":
          if (jsonType(actual) !== jsonType(expected))
            return [`${at}: a ${jsonType(actual)} where the pact expects a ${jsonType(expected)}`];
          if (Array.isArray(expected) && Array.isArray(actual)) {
            if (typeof matcher.min === "number" && actual.length < matcher.min)
              return [`${at}: ${actual.length} item(s), the pact expects at least ${matcher.min}`];
            const template = expected[0];
            if (template === undefined) return [];
            return actual.flatMap((item, index) => bodyMismatches(template, item, rules, [...segments, String(index)]));
          }
          if (jsonType(expected) === "object") return objectMismatches(expected, actual, rules, segments);
          return [];
        default:
          break;
      }
    }
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: a ${jsonType(actual)} where the pact expects a list`];
    if (actual.length !== expected.length)
      return [`${at}: ${actual.length} item(s) where the pact expects ${expected.length}`];
    return expected.flatMap((item, index) => bodyMismatches(item, actual[index], rules, [...segments, String(index)]));
  }
  if (jsonType(expected) === "object") return objectMismatches(expected, actual, rules, segments);
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${at}: ${JSON.stringify(actual)} where the pact expects ${JSON.stringify(expected)}`];
}

function objectMismatches(expected: unknown, actual: unknown, rules: BodyRule[], segments: string[]): string[] {
  if (jsonType(actual) !== "object")
    return [`${where(segments)}: a ${jsonType(actual)} where the pact expects an object`];
  const have = actual as Record<string, unknown>;
  return Object.entries(expected as Record<string, unknown>).flatMap(([key, value]) =>
    key in have
      ? bodyMismatches(value, have[key], rules, [...segments, key])
      : [`${where([...segments, key])}: missing`],
  );
}
