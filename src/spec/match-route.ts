import { type Operation, operations } from "../../generated/route-table.js";

/**
 * The API version prefixes a base URL may carry. Microsoft's SDKs put the version in the base URL
 * (`https://graph.microsoft.com/beta`), so a server standing in for Graph answers under both, and
 * under none (decisions.md#path-prefix).
 */
export const apiVersionPrefixes = ["/beta", "/testEduApi"] as const;

export type RouteMatch =
  | { kind: "operation"; operation: Operation; pathParams: Record<string, string>; path: string }
  | { kind: "methodNotAllowed"; allowed: string[]; path: string }
  | { kind: "notFound"; path: string };

interface CompiledRoute {
  pattern: RegExp;
  names: string[];
  byMethod: Map<string, Operation>;
}

function compile(): CompiledRoute[] {
  const byPath = new Map<string, CompiledRoute>();
  for (const operation of operations) {
    let route = byPath.get(operation.path);
    if (!route) {
      const names: string[] = [];
      const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      route = { pattern: new RegExp(`^${source}$`), names, byMethod: new Map() };
      byPath.set(operation.path, route);
    }
    route.byMethod.set(operation.method, operation);
  }
  return [...byPath.values()];
}

const routes = compile();

/**
 * Microsoft's SDKs address bound actions and functions by their qualified names:
 * `/{id}/microsoft.graph.start`, `/{id}/microsoft.graph.uploadUrl()` (decisions.md#sdk-action-paths).
 */
const qualifiedAction = /\/microsoft\.graph\.(start|pause|resume|reset|uploadUrl)(\(\))?$/;

/** Removes a leading `/beta` or `/testEduApi` and a trailing slash, and unqualifies SDK action names. */
export function stripApiVersion(pathname: string): string {
  let path = pathname;
  for (const prefix of apiVersionPrefixes) {
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      path = path.slice(prefix.length) || "/";
      break;
    }
  }
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path.replace(qualifiedAction, "/$1");
}

/** Matches a request to an operation of the spec. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const path = stripApiVersion(pathname);
  for (const route of routes) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    const operation = route.byMethod.get(method.toUpperCase());
    if (!operation) {
      return { kind: "methodNotAllowed", allowed: [...route.byMethod.keys()].sort(), path };
    }
    const pathParams: Record<string, string> = {};
    for (const [index, name] of route.names.entries()) {
      pathParams[name] = safeDecode(found[index + 1] ?? "");
    }
    return { kind: "operation", operation, pathParams, path };
  }
  return { kind: "notFound", path };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
