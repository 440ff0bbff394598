/**
 * Reading pact files of any specification version (2, 3 or 4) into one shape: the HTTP
 * interactions, each with its request and response examples and their matching rules.
 */

export interface Matcher {
  match: string;
  regex?: string;
  min?: number;
  max?: number;
  [key: string]: unknown;
}

/** A body matching rule: where (JSON path segments, `*` for any item) and its matchers. */
export interface BodyRule {
  segments: string[];
  matchers: Matcher[];
}

/** Matching rules of a header, query or path, by name (lowercased for headers). */
export type Rules = Map<string, Matcher[]>;

export interface PactMessage {
  headers: Record<string, string>;
  body: unknown;
  rules: { body: BodyRule[]; header: Rules; query: Rules; path: Rules };
}

/** A provider state an interaction is given: its sentence and, from specification 3 on, its params. */
export interface ProviderStateRef {
  name: string;
  params: Record<string, unknown>;
}

export interface PactInteraction {
  description: string;
  providerStates: ProviderStateRef[];
  request: PactMessage & {
    method: string;
    path: string;
    query: URLSearchParams;
    /** A `fromProviderState` path: the expression (`/…/${id}`) the provider's state values fill in. */
    pathExpression?: string;
  };
  response: PactMessage & { status: number };
}

export interface PactFile {
  consumer: string;
  provider: string;
  specification: string;
  interactions: PactInteraction[];
  /** Interactions that are not HTTP (messages, plugins): listed, not checked. */
  skipped: string[];
}

export class PactFileError extends Error {
  override name = "PactFileError";
}

type Json = Record<string, unknown>;

export function readPact(text: string, source: string): PactFile {
  let raw: Json;
  try {
    raw = JSON.parse(text) as Json;
  } catch (error) {
    throw new PactFileError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (raw === null || typeof raw !== "object" || !Array.isArray(raw.interactions)) {
    throw new PactFileError(`${source} is not a pact file: it has no interactions list`);
  }
  const metadata = (raw.metadata ?? {}) as Json;
  const specification = String(
    ((metadata.pactSpecification as Json | undefined)?.version ??
      (metadata["pact-specification"] as Json | undefined)?.version ??
      "2.0.0") as string,
  );
  const interactions: PactInteraction[] = [];
  const skipped: string[] = [];
  for (const [index, item] of (raw.interactions as Json[]).entries()) {
    const description = typeof item.description === "string" ? item.description : `interaction ${index}`;
    const type = typeof item.type === "string" ? item.type : "Synchronous/HTTP";
    if (type !== "Synchronous/HTTP" || typeof item.request !== "object" || typeof item.response !== "object") {
      skipped.push(description);
      continue;
    }
    interactions.push({
      description,
      providerStates: providerStates(item),
      request: request(item.request as Json, specification),
      response: response(item.response as Json, specification),
    });
  }
  return {
    consumer: String((raw.consumer as Json | undefined)?.name ?? "consumer"),
    provider: String((raw.provider as Json | undefined)?.name ?? "provider"),
    specification,
    interactions,
    skipped,
  };
}

function providerStates(item: Json): ProviderStateRef[] {
  if (Array.isArray(item.providerStates))
    return (item.providerStates as Json[]).map((state) => ({
      name: String(state.name),
      params:
        state.params !== null && typeof state.params === "object" ? (state.params as Record<string, unknown>) : {},
    }));
  return typeof item.providerState === "string" ? [{ name: item.providerState, params: {} }] : [];
}

function request(raw: Json, specification: string): PactInteraction["request"] {
  const message = messageOf(raw, specification);
  const generator = ((raw.generators ?? {}) as Json).path as Json | undefined;
  const pathExpression =
    generator?.type === "ProviderState" && typeof generator.expression === "string" ? generator.expression : undefined;
  return {
    ...message,
    method: String(raw.method ?? "GET").toUpperCase(),
    path: String(raw.path ?? "/"),
    query: queryOf(raw.query),
    ...(pathExpression === undefined ? {} : { pathExpression }),
  };
}

function response(raw: Json, specification: string): PactInteraction["response"] {
  return { ...messageOf(raw, specification), status: Number(raw.status ?? 200) };
}

function messageOf(raw: Json, specification: string): PactMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((raw.headers ?? {}) as Json)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return { headers, body: bodyOf(raw.body), rules: rulesOf(raw.matchingRules, specification) };
}

/** V4 wraps the body (`{ content, contentType, encoded }`); earlier versions hold it as it is. */
function bodyOf(body: unknown): unknown {
  if (body !== null && typeof body === "object" && "content" in body && "contentType" in body) {
    const wrapped = body as { content: unknown; contentType: string; encoded?: unknown };
    if (wrapped.encoded && typeof wrapped.content === "string" && /json/.test(wrapped.contentType)) {
      return JSON.parse(Buffer.from(wrapped.content, "base64").toString("utf8"));
    }
    return wrapped.content;
  }
  return body;
}

function queryOf(query: unknown): URLSearchParams {
  if (typeof query === "string") return new URLSearchParams(query);
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries((query ?? {}) as Json)) {
    for (const value of Array.isArray(values) ? values : [values]) params.append(name, String(value));
  }
  return params;
}

function rulesOf(raw: unknown, specification: string): PactMessage["rules"] {
  const rules: PactMessage["rules"] = { body: [], header: new Map(), query: new Map(), path: new Map() };
  if (raw === null || typeof raw !== "object") return rules;
  const entries = Object.entries(raw as Json);
  if (specification.startsWith("2") || entries.some(([key]) => key.startsWith("$."))) {
    // V2: one flat map, keyed `$.body.x`, `$.headers.x`, `$.query.x`, `$.path`.
    for (const [key, rule] of entries) {
      const [, category, rest] = /^\$\.(body|headers|query|path)(.*)$/.exec(key) ?? [];
      if (!category) continue;
      if (category === "body")
        rules.body.push({ segments: pathSegments(`$${rest ?? ""}`), matchers: [rule as Matcher] });
      else
        (category === "headers" ? rules.header : category === "query" ? rules.query : rules.path).set(
          category === "path" ? "$" : (rest ?? "").replace(/^\./, "").toLowerCase(),
          [rule as Matcher],
        );
    }
    return rules;
  }
  for (const [category, byPath] of entries) {
    if (category === "path") {
      const matchers = (byPath as { matchers?: Matcher[] }).matchers;
      if (matchers) rules.path.set("$", matchers);
      continue;
    }
    if (category !== "body" && category !== "header" && category !== "query") continue;
    for (const [path, rule] of Object.entries((byPath ?? {}) as Json)) {
      const matchers = (rule as { matchers?: Matcher[] }).matchers ?? [rule as Matcher];
      if (category === "body") rules.body.push({ segments: pathSegments(path), matchers });
      else
        (category === "header" ? rules.header : rules.query).set(
          category === "header" ? path.toLowerCase() : path,
          matchers,
        );
    }
  }
  return rules;
}

/** `$.value[*].type` -> value, *, type; `$['@odata.type']` -> @odata.type; `$.a[0]` -> a, 0. */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  const pattern = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[(\*|\d+)\]/g;
  for (const match of path.replace(/^\$/, "").matchAll(pattern)) {
    segments.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? "");
  }
  return segments;
}
