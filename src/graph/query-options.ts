import type { OpenApiDocument } from "../spec/openapi-document.js";
import { type ProjectionTarget, projectionTargets } from "../spec/projection.js";

/**
 * OData's system query options, by their names without the `$`. On Graph's beta endpoint the `$`
 * is optional ("instead of $filter, you can use filter": decisions.md#optional-dollar), and this
 * API only ever lived on beta; OData's resolvers also match the names in any letter case, as the
 * 2017 service's own next links show (`skipToken=`).
 */
const systemQueryOptions = new Set([
  "select",
  "expand",
  "filter",
  "orderby",
  "top",
  "skip",
  "skiptoken",
  "count",
  "search",
  "format",
]);

/**
 * The URL with every system query option renamed to its `$` form in lower case (`top`, `$Top` and
 * `skipToken` become `$top` and `$skiptoken`), values and order untouched, so that everything after
 * reads one spelling. `top=1&$top=2` becomes two `$top`s, which the spec check refuses as a duplicate.
 */
export function withDollarPrefixes(url: URL): URL {
  if (url.search.length < 2) return url;
  let changed = false;
  const parts = url.search
    .slice(1)
    .split("&")
    .map((part) => {
      const equals = part.indexOf("=");
      const rawName = equals < 0 ? part : part.slice(0, equals);
      const name = decodeName(rawName);
      const bare = name.replace(/^\$/, "").toLowerCase();
      if (!systemQueryOptions.has(bare) || name === `$${bare}`) return part;
      changed = true;
      return `$${bare}${equals < 0 ? "" : part.slice(equals)}`;
    });
  if (!changed) return url;
  const normalized = new URL(url);
  normalized.search = `?${parts.join("&")}`;
  return normalized;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/** What a request asked to see of an entity: the properties selected (undefined: all) and the navigation properties expanded. */
export interface Projection {
  select: string[] | undefined;
  expand: string[];
}

export type ProjectionRead = { ok: true; projection: Projection | undefined } | { ok: false; message: string };

const targetsByDocument = new WeakMap<OpenApiDocument, Map<string, ProjectionTarget>>();

/** The projection target of an operation, when it reads an entity or a collection of them. */
export function projectionTarget(document: OpenApiDocument, operationId: string): ProjectionTarget | undefined {
  let targets = targetsByDocument.get(document);
  if (!targets) {
    targets = projectionTargets(document);
    targetsByDocument.set(document, targets);
  }
  return targets.get(operationId);
}

const notFoundOn = (name: string, target: ProjectionTarget) =>
  `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${target.typeName}'.`;

/**
 * Reads `$select` and `$expand` (decisions.md#select): names resolve in any letter case, as OData's
 * resolvers do by default, to the spec's spelling; a name the type does not have is refused in the
 * words Graph's parser uses. Undefined when the request asks for neither.
 */
export function readProjection(query: URLSearchParams, target: ProjectionTarget | undefined): ProjectionRead {
  const selectText = query.get("$select");
  const expandText = query.get("$expand");
  if (selectText === null && expandText === null) return { ok: true, projection: undefined };
  if (!target) return { ok: true, projection: undefined };
  const resolve = (name: string, among: readonly string[]) => among.find((n) => n.toLowerCase() === name.toLowerCase());

  let select: string[] | undefined;
  if (selectText !== null) {
    const names = listOf(selectText);
    if (!names.includes("*")) {
      select = [];
      for (const name of names) {
        const found = resolve(name, [...target.properties, ...target.navigation]);
        if (found === undefined) return { ok: false, message: notFoundOn(name, target) };
        if (!select.includes(found)) select.push(found);
      }
    }
  }
  const expand: string[] = [];
  for (const name of expandText === null ? [] : listOf(expandText)) {
    const found = resolve(name, target.navigation);
    if (found === undefined) {
      const structural = resolve(name, target.properties);
      return {
        ok: false,
        message:
          structural === undefined
            ? notFoundOn(name, target)
            : `Property '${structural}' on type '${target.typeName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
      };
    }
    if (!expand.includes(found)) expand.push(found);
  }
  return { ok: true, projection: { select, expand } };
}

const listOf = (text: string) =>
  text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);

/**
 * An entity with only what the projection asks for: the selected properties (all when none are
 * selected) and the expanded ones, in the entity's own order; OData annotations stay.
 */
export function project<T extends Record<string, unknown>>(entity: T, projection: Projection): Partial<T> {
  const keep = (name: string) =>
    name.startsWith("@") ||
    projection.expand.includes(name) ||
    projection.select === undefined ||
    projection.select.includes(name);
  return Object.fromEntries(Object.entries(entity).filter(([name]) => keep(name))) as Partial<T>;
}

/**
 * `@odata.context` naming what was selected, as Graph writes it:
 * `…#education/synchronizationProfiles(displayName,state)/$entity`.
 */
export function contextWithSelect(context: string, projection: Projection | undefined): string {
  if (!projection?.select) return context;
  const list = `(${projection.select.join(",")})`;
  return context.endsWith("/$entity") ? `${context.slice(0, -"/$entity".length)}${list}/$entity` : `${context}${list}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A 200 body as the projection shapes it: an entity, or each entity of a collection's `value`,
 * with `@odata.context` naming the selection. Expanded navigation properties must already be in it.
 */
export function projectBody(body: Record<string, unknown>, projection: Projection): Record<string, unknown> {
  const shaped = Array.isArray(body.value)
    ? { ...body, value: body.value.map((item) => (isObject(item) ? project(item, projection) : item)) }
    : project(body, projection);
  const context = body["@odata.context"];
  if (typeof context === "string") shaped["@odata.context"] = contextWithSelect(context, projection);
  return shaped;
}
