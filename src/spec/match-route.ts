import { type Operation, operations } from "../../generated/route-table.js";

/**
 * The API version prefixes a base URL may carry. Microsoft's SDKs put the version in the base URL
 * (`https://graph.microsoft.com/beta`), so a server standing in for Graph answers under both, and
 * under none (decisions.md#path-prefix).
 */
export const apiVersionPrefixes = ["/beta", "/testEduApi"] as const;

/** Graph's other version: the API never reached it, so nothing under it is an operation (decisions.md#unknown-segment). */
const v1Prefix = "/v1.0";

export type RouteMatch =
  | { kind: "operation"; operation: Operation; pathParams: Record<string, string>; path: string }
  | { kind: "methodNotAllowed"; allowed: string[]; path: string }
  | { kind: "notFound"; path: string; segment: string };

interface CompiledRoute {
  /** The spec's path, split: literal segments, or `{name}` for a parameter. */
  segments: string[];
  byMethod: Map<string, Operation>;
}

function compile(): CompiledRoute[] {
  const byPath = new Map<string, CompiledRoute>();
  for (const operation of operations) {
    let route = byPath.get(operation.path);
    if (!route) {
      route = { segments: operation.path.split("/").slice(1), byMethod: new Map() };
      byPath.set(operation.path, route);
    }
    route.byMethod.set(operation.method, operation);
  }
  return [...byPath.values()];
}

const routes = compile();
const isParameter = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

/**
 * Microsoft's SDKs address bound actions and functions by their qualified names:
 * `/{id}/microsoft.graph.start`, `/{id}/microsoft.graph.uploadUrl()` (decisions.md#sdk-action-paths).
 */
const qualifiedAction = /\/microsoft\.graph\.(start|pause|resume|reset|uploadUrl)(\(\))?$/i;

/** The version prefix a path starts with, matched in any letter case; undefined for none. */
export function apiVersionPrefix(pathname: string): (typeof apiVersionPrefixes)[number] | undefined {
  const lower = pathname.toLowerCase();
  return apiVersionPrefixes.find((prefix) => {
    const wanted = prefix.toLowerCase();
    return lower === wanted || lower.startsWith(`${wanted}/`);
  });
}

/** Removes a leading `/beta` or `/testEduApi` and a trailing slash, and unqualifies SDK action names. */
export function stripApiVersion(pathname: string): string {
  const prefix = apiVersionPrefix(pathname);
  let path = prefix ? pathname.slice(prefix.length) || "/" : pathname;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path.replace(qualifiedAction, "/$1");
}

/**
 * Matches a request to an operation of the spec. Literal segments match in any letter case, as
 * OData's URL resolvers match them by default (decisions.md#segment-case); the path a match
 * reports is the spec's own spelling, with the request's parameter values.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const onV1 = pathname.toLowerCase() === v1Prefix || pathname.toLowerCase().startsWith(`${v1Prefix}/`);
  const path = onV1 ? pathname.slice(v1Prefix.length) || "/" : stripApiVersion(pathname);
  const segments = path.split("/").slice(1);
  for (const route of onV1 ? [] : routes) {
    const pathParams = matchSegments(route.segments, segments);
    if (!pathParams) continue;
    const canonical = `/${route.segments.map((s) => (isParameter(s) ? encodeURIComponent(pathParams[s.slice(1, -1)] ?? "") : s)).join("/")}`;
    const operation = route.byMethod.get(method.toUpperCase());
    if (!operation) return { kind: "methodNotAllowed", allowed: [...route.byMethod.keys()].sort(), path: canonical };
    return { kind: "operation", operation, pathParams, path: canonical };
  }
  return { kind: "notFound", path, segment: unresolvedSegment(segments, onV1) };
}

function matchSegments(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const pathParams: Record<string, string> = {};
  for (const [index, expected] of template.entries()) {
    const actual = segments[index] ?? "";
    if (isParameter(expected)) {
      if (actual === "") return undefined;
      pathParams[expected.slice(1, -1)] = safeDecode(actual);
    } else if (actual.toLowerCase() !== expected.toLowerCase()) return undefined;
  }
  return pathParams;
}

/**
 * The segment Graph's "Resource not found for the segment" names: the first one no route has at
 * its place, or the last one of a path that stops short of an operation. Under `/v1.0` the
 * collection itself is the segment Graph cannot find.
 */
function unresolvedSegment(segments: readonly string[], onV1: boolean): string {
  let candidates = onV1 ? [] : routes.map((route) => route.segments);
  for (const [index, segment] of segments.entries()) {
    candidates = candidates.filter((template) => {
      const expected = template[index];
      return expected !== undefined && (isParameter(expected) || expected.toLowerCase() === segment.toLowerCase());
    });
    if (candidates.length === 0) {
      // On v1.0 the education root exists, its synchronizationProfiles do not.
      if (onV1 && index === 0 && segment.toLowerCase() === "education" && segments[1] !== undefined)
        return safeDecode(segments[1]);
      return safeDecode(segment);
    }
  }
  return safeDecode(segments[segments.length - 1] ?? "");
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
