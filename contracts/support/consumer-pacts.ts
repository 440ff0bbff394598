import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Pact files as consumer teams write them, by hand here so that each specification version's own
 * layout is exercised: version 2 (one `providerState`, flat `$.body…` matching rules), version 3
 * (`providerStates` with params, rules by category) and version 4 (typed interactions, wrapped
 * bodies). Matchers are given once, in a neutral form, and written out in each version's syntax.
 */
export type Match = { match: "type"; min?: number } | { match: "regex"; regex: string } | { match: "integer" };

export interface ConsumerInteraction {
  description: string;
  states?: { name: string; params?: Record<string, unknown> }[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    /** A `fromProviderState` path: the expression and the example path above. */
    pathFromState?: string;
    headers?: Record<string, string>;
  };
  response: { status: number; body?: unknown; rules?: Record<string, Match> };
}

export type PactVersion = 2 | 3 | 4;

const bearer = "Bearer eyJ0eXAiOiJKV1QifQ.e30.";

/** A pact file's content, in the layout of its specification version. */
export function consumerPact(name: string, version: PactVersion, interactions: ConsumerInteraction[]) {
  return {
    consumer: { name },
    provider: { name: "sds-synchronization-profiles" },
    interactions: interactions.map((interaction) => interactionFor(version, interaction)),
    metadata: { pactSpecification: { version: `${version}.0.0` } },
  };
}

export function writeConsumerPact(
  dir: string,
  name: string,
  version: PactVersion,
  interactions: ConsumerInteraction[],
): string {
  const file = join(dir, `${name}-v${version}.json`);
  writeFileSync(file, JSON.stringify(consumerPact(name, version, interactions), null, 2));
  return file;
}

function interactionFor(version: PactVersion, interaction: ConsumerInteraction): Record<string, unknown> {
  const { request, response } = interaction;
  const headers = {
    authorization: bearer,
    ...(request.body === undefined ? {} : { "content-type": "application/json" }),
    ...request.headers,
  };
  const states =
    version === 2
      ? interaction.states?.[0] === undefined
        ? {}
        : { providerState: interaction.states[0].name }
      : { providerStates: (interaction.states ?? []).map((s) => ({ name: s.name, params: s.params ?? {} })) };
  const body = (value: unknown) =>
    value === undefined
      ? {}
      : { body: version === 4 ? { content: value, contentType: "application/json", encoded: false } : value };
  const rules = Object.entries(response.rules ?? {});
  const matchingRules =
    rules.length === 0
      ? {}
      : version === 2
        ? { matchingRules: Object.fromEntries(rules.map(([path, match]) => [path.replace(/^\$/, "$.body"), match])) }
        : {
            matchingRules: {
              body: Object.fromEntries(rules.map(([path, match]) => [path, { combine: "AND", matchers: [match] }])),
            },
          };
  const query =
    request.query === undefined
      ? {}
      : version === 2
        ? { query: new URLSearchParams(request.query).toString() }
        : { query: Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, [v]])) };
  const generators =
    request.pathFromState === undefined || version === 2
      ? {}
      : { generators: { path: { type: "ProviderState", expression: request.pathFromState } } };
  return {
    ...(version === 4 ? { type: "Synchronous/HTTP", pending: false } : {}),
    description: interaction.description,
    ...states,
    request: { method: request.method, path: request.path, headers, ...query, ...body(request.body), ...generators },
    response: {
      status: response.status,
      ...body(response.body),
      ...matchingRules,
    },
  };
}
