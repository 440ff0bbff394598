import type { JsonSchema, OpenApiDocument } from "./openapi-document.js";
import { resolveReference } from "./openapi-document.js";
import { jsonContent, listOperations } from "./spec-operations.js";

/** Marks a property of an entity that is a navigation property: present only when expanded. */
export const navigationKeyword = "x-sds-navigation";

/**
 * What `$select` and `$expand` may name for an operation that reads an entity or a collection of
 * them (decisions.md#select): the entity's OData type name for messages, its structural
 * properties, and its navigation properties.
 */
export interface ProjectionTarget {
  /** `microsoft.graph.educationSynchronizationProfile`, as Graph's parser names a type in its errors. */
  typeName: string;
  /** Whether the 200 body is a collection (`value` holds the entities). */
  collection: boolean;
  properties: string[];
  navigation: string[];
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The projection target of every GET whose 200 body is an entity with a `title` (its OData name)
 * or a collection of them, by operationId. Other operations take no `$select`.
 */
export function projectionTargets(document: OpenApiDocument): Map<string, ProjectionTarget> {
  const targets = new Map<string, ProjectionTarget>();
  for (const operation of listOperations(document)) {
    if (operation.method !== "get") continue;
    const schema = jsonContent(operation.responses["200"]?.content)?.schema;
    const body = resolve(document, schema);
    const items = isNode(body?.properties)
      ? resolve(document, resolve(document, body.properties.value)?.items)
      : undefined;
    const entity = items ?? body;
    if (!entity || typeof entity.title !== "string" || !isNode(entity.properties)) continue;
    const properties: string[] = [];
    const navigation: string[] = [];
    for (const [name, property] of Object.entries(entity.properties)) {
      if (name.startsWith("@")) continue;
      (isNode(property) && property[navigationKeyword] === true ? navigation : properties).push(name);
    }
    targets.set(operation.operationId, {
      typeName: `microsoft.graph.${entity.title}`,
      collection: items !== undefined,
      properties,
      navigation,
    });
  }
  return targets;
}

function resolve(document: OpenApiDocument, schema: JsonSchema | unknown): Node | undefined {
  if (!isNode(schema)) return undefined;
  const resolved = resolveReference<unknown>(document, schema as Node);
  return isNode(resolved) ? resolved : undefined;
}
