import type { OpenApiDocument } from "../spec/openapi-document.js";
import { sourceKeyword } from "../spec/provenance.js";
import { sourceBadge, sourceBadges } from "./source-badges.js";

/**
 * The copy of the bundled spec that the reference (Redoc) renders: the same document, with what
 * the kit's extensions say written where a reader sees it. Each operation's description opens
 * with its operationId and lists its permissions and the source of each declared status; every
 * `x-sds-source` becomes a linked badge in its node's description; every named example says what
 * it is (`x-sds-example`: Microsoft's payload verbatim, rebuilt from the documentation, captured
 * from the live service, or the kit's own illustration). Key order is the spec's, so the same spec gives the same bytes.
 */

const methods = ["get", "put", "post", "delete", "patch"] as const;

/** What `x-sds-example` says, for a reader (decisions.md#examples). */
export const exampleLabels: Record<string, { short: string; long: string }> = {
  verbatim: {
    short: "Documented (verbatim)",
    long: "Microsoft's documentation, verbatim: the payload as the pages show it, spellings and slips included.",
  },
  rebuilt: {
    short: "Rebuilt from the documentation",
    long: "Put together from what Microsoft's documentation describes; the source says from what.",
  },
  captured: {
    short: "Captured from the service",
    long: "What the live service answered, as someone captured it; the source names the observation that holds the evidence.",
  },
  illustrative: {
    short: "Illustrative",
    long: "The kit's own example, for a case the documentation shows no payload for.",
  },
};

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);

const appendDescription = (node: Node, line: string) => {
  const current = typeof node.description === "string" ? node.description.trimEnd() : "";
  node.description = current ? `${current}\n\n${line}` : line;
};

/** Keys whose values are data, not OpenAPI or JSON Schema nodes: nothing in them is annotated. */
const dataKeys = new Set(["example", "enum", "const", "default", "value"]);
/** Keys whose values are maps from a name (any name, `value` and `default` too) to a node. */
const mapKeys = new Set([
  "paths",
  "schemas",
  "properties",
  "patternProperties",
  "$defs",
  "parameters",
  "responses",
  "headers",
  "examples",
  "content",
  "securitySchemes",
  "requestBodies",
]);

/** Calls `visit` on every OpenAPI and JSON Schema node of `node`, never inside examples' data. */
function walk(node: unknown, visit: (node: Node) => void, isMap = false): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!isNode(node)) return;
  if (isMap) {
    for (const value of Object.values(node)) walk(value, visit);
    return;
  }
  visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || dataKeys.has(key)) continue;
    walk(value, visit, mapKeys.has(key));
  }
}

/** `decisions.md#<entry>` in a description's prose becomes a link to the entry on the decisions page. */
function linkDecisions(node: Node): void {
  if (typeof node.description !== "string") return;
  node.description = node.description.replace(
    /(?<![\w/[])decisions\.md#([a-z0-9-]+)/g,
    (_, entry: string) => `[decisions.md#${entry}](decisions.html#${entry})`,
  );
}

/** Every `x-sds-source` as badges in its node's description; examples labelled. */
function annotate(node: Node): void {
  const label = typeof node["x-sds-example"] === "string" ? exampleLabels[node["x-sds-example"]] : undefined;
  if (label) {
    const summary = typeof node.summary === "string" ? `: ${node.summary}` : "";
    node.summary = `${label.short}${summary}`;
    appendDescription(
      node,
      `<span class="sds-example sds-example-${String(node["x-sds-example"])}">${label.short}</span> ${label.long}`,
    );
  }
  // Redoc skips a property whose schema is `false` (one the request must not send), with a warning.
  const properties = node.properties;
  if (isNode(properties)) {
    const forbidden = Object.keys(properties).filter((name) => properties[name] === false);
    for (const name of forbidden) delete properties[name];
    if (forbidden.length > 0)
      appendDescription(node, `Must not be sent: ${forbidden.map((p) => `\`${p}\``).join(", ")}.`);
  }
  const badges = sourceBadges(node[sourceKeyword]);
  if (badges.length > 0) appendDescription(node, badges.join(" "));
}

function permissionsLine(permissions: unknown): string | undefined {
  if (!isNode(permissions)) return undefined;
  const list = (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.map((p) => `\`${String(p)}\``).join(", ") : "not supported";
  return `**Permissions:** delegated ${list(permissions.delegated)}; application ${list(permissions.application)}.`;
}

function statusesLine(operation: Node): string | undefined {
  const sources = operation["x-sds-responses"];
  if (!isNode(sources) || !isNode(operation.responses)) return undefined;
  const entries = Object.keys(operation.responses).map((status) => {
    const source = sources[status];
    return typeof source === "string" ? `\`${status}\` ${sourceBadge(source)}` : `\`${status}\``;
  });
  return `**Statuses:** ${entries.join(" · ")}`;
}

/** The spec as the reference shows it; `document` is not changed. */
export function referenceSpec(document: OpenApiDocument): Node {
  const spec = structuredClone(document) as unknown as Node;
  // Redoc 2 names every variant of a oneOf after its parent's title when the parent has one.
  const schemas = isNode(spec.components) && isNode(spec.components.schemas) ? spec.components.schemas : {};
  for (const schema of Object.values(schemas)) if (isNode(schema) && Array.isArray(schema.oneOf)) delete schema.title;

  walk(spec, linkDecisions);
  // Operations next: their own lines open the description, before annotate() appends the badges.
  const paths = isNode(spec.paths) ? spec.paths : {};
  for (const item of Object.values(paths)) {
    if (!isNode(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isNode(operation) || typeof operation.operationId !== "string") continue;
      const lines = [
        `<code class="sds-opid">operationId: ${operation.operationId}</code>`,
        typeof operation.description === "string" ? operation.description.trimEnd() : "",
        permissionsLine(operation["x-permissions"]),
        statusesLine(operation),
      ].filter((line): line is string => typeof line === "string" && line.length > 0);
      operation.description = lines.join("\n\n");
    }
  }
  walk(spec, annotate);
  return spec;
}
