import { randomUUID } from "node:crypto";
import type { OperationId } from "../../../generated/route-table.js";
import type { ProfileState, SyncStatus } from "../../lifecycle/vocabulary.js";
import { matchRoute } from "../../spec/match-route.js";
import type { OpenApiDocument } from "../../spec/openapi-document.js";
import { jsonContent, listOperations } from "../../spec/spec-operations.js";
import { bodyMismatches } from "../matching.js";
import type { InteractionSetup, ProfileSeed } from "./interaction-setup.js";
import type { PreparedInteraction } from "./pact-setup.js";
import type { StateHandler } from "./state-names.js";

/** The id of every example profile the Prism mock serves. */
const exampleId = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";

/** How a stateless mock is steered for one interaction, and whether it can satisfy it at all. */
export interface PreferPlan {
  /** The `Prefer` header that makes the Prism mock answer what the interaction's setup implies. */
  prefer?: string;
  /** Why the mock's answer will not meet the pact, when it cannot (a stateless mock serves the spec's examples). */
  cannot: string[];
}

/** The spec's named examples of a profile in a state, and of a status: the states without one are served as provisioned. */
const profileExamples: Partial<Record<ProfileState, string>> = {
  provisioning: "provisioning",
  provisioningFailed: "provisioning-failed",
  deleting: "deleting",
};
const statusExamples: Partial<Record<SyncStatus, string>> = {
  success: "success",
  error: "error",
  validationError: "validation-error",
  quarantined: "quarantined",
  paused: "paused",
  extracting: "extracting",
};

/**
 * The same setup the simulator gets, expressed for the Prism mock: which status and which example
 * of the spec to ask for with `Prefer`. The answer is predicted from that example and compared with
 * the pact's expectation and matching rules, so an interaction a stateless mock cannot satisfy (a
 * profile it has no example for, an id of the consumer's pinned by equality) is named before
 * verification, with the reason.
 */
export function preferPlan(prepared: PreparedInteraction, document: OpenApiDocument): PreferPlan {
  const { interaction, setup } = prepared;
  if (!setup) return { cannot: [prepared.problem ?? "the interaction cannot be set up"] };
  const route = matchRoute(interaction.request.method, interaction.request.path);
  if (route.kind !== "operation") return { cannot: [] };
  const operation = listOperations(document).find((op) => op.operationId === route.operation.operationId);
  if (!operation) return { cannot: [] };
  const status = String(interaction.response.status);
  const served = route.operation.servedStatus ?? Object.keys(operation.responses).find((s) => s.startsWith("2"));
  const example = exampleFor(route.operation.operationId, interaction, setup);
  const parts = [
    ...(status !== served ? [`code=${status}`] : []),
    ...(example !== undefined ? [`example=${example}`] : []),
  ];
  const response = operation.responses[status];
  if (!response)
    return { prefer: parts.join(", "), cannot: [`the spec declares no ${status} for ${operation.operationId}`] };
  const examples = jsonContent(response.content)?.examples ?? {};
  const chosen = example ?? Object.keys(examples)[0];
  const value = chosen === undefined ? undefined : (examples[chosen] as { value?: unknown } | undefined)?.value;
  if (example !== undefined && value === undefined)
    return { prefer: parts.join(", "), cannot: [`the spec has no ${status} example "${example}" to serve`] };
  const cannot =
    interaction.response.body === undefined || value === undefined
      ? []
      : bodyMismatches(interaction.response.body, withoutServedIds(value), interaction.response.rules.body).map(
          (mismatch) => `the mock serves the spec's ${status} example${chosen ? ` "${chosen}"` : ""}: ${mismatch}`,
        );
  return { ...(parts.length > 0 ? { prefer: parts.join(", ") } : {}), cannot };
}

/** Error examples are served with the request's own ids and date; comparing them would say nothing. */
function withoutServedIds(value: unknown): unknown {
  if (value === null || typeof value !== "object" || !("error" in value)) return value;
  const copy = structuredClone(value) as { error: Record<string, unknown> };
  delete copy.error.innerError;
  return copy;
}

/** What the example chooser reads of an interaction: its expected status and body, and the setup it implies. */
interface ExampleQuestion {
  status: number;
  target: ProfileSeed | undefined;
  /** The expected body's `value`, when it is a collection. */
  list: unknown[] | undefined;
  setup: InteractionSetup;
}

/**
 * The named example of the spec that answers an operation as the setup implies, by operation. The
 * operations not listed have one example per status, which `code=` alone picks.
 */
const examplesByOperation: Partial<Record<OperationId, (question: ExampleQuestion) => string | undefined>> = {
  getSynchronizationProfile: ({ status, target }) => {
    if (status !== 200 || !target) return undefined;
    return target.provider === "oneRoster" ? "one-roster" : profileExamples[target.state];
  },
  getSynchronizationProfileStatus: ({ status, target }) =>
    status === 200 && target?.status ? statusExamples[target.status] : undefined,
  listSynchronizationProfiles: ({ status, list, setup }) => {
    if (status !== 200) return undefined;
    if (list?.length === 0 || setup.profiles.length === 0) return "empty";
    return setup.profiles.length > 1 ? "paged" : undefined;
  },
  listSynchronizationErrors: ({ status, list }) => (status === 200 && list?.length === 0 ? "empty" : undefined),
  startSynchronizationProfile: ({ status, target }) => {
    if (status === 400) return target?.scenario === "verification-errors" ? "verification-errors" : "not-csv";
    return target?.scenario === "verification-warnings" ? "warnings" : undefined;
  },
};

function exampleFor(
  operationId: OperationId,
  interaction: PreparedInteraction["interaction"],
  setup: InteractionSetup,
) {
  const body = interaction.response.body as Record<string, unknown> | undefined;
  return examplesByOperation[operationId]?.({
    status: interaction.response.status,
    target: setup.profiles[0],
    list: Array.isArray(body?.value) ? (body.value as unknown[]) : undefined,
    setup,
  });
}

/**
 * State handlers and a `Prefer` for each request, for verifying pacts against the Prism mock: each
 * prepared interaction's state remembers its plan, and the request that follows carries its
 * `Prefer`. Ids handed back for `fromProviderState` are the examples' id, the one the mock serves.
 */
export function preferSetupHandlers(
  prepared: PreparedInteraction[],
  document: OpenApiDocument,
): {
  states: Record<string, StateHandler>;
  prefer(request: { method: string; path: string }): Record<string, string>;
  plans: Map<string, PreferPlan>;
} {
  const plans = new Map(prepared.map((p) => [p.stateName, preferPlan(p, document)]));
  let current: PreferPlan | undefined;
  const states = Object.fromEntries(
    prepared.map((p) => [
      p.stateName,
      async () => {
        current = plans.get(p.stateName);
        const names = p.setup?.profiles.flatMap((seed) => seed.handBackAs) ?? [];
        const absent = p.setup?.absentHandBack ?? [];
        const values = [...names.map((name) => [name, exampleId]), ...absent.map((name) => [name, randomUUID()])];
        return values.length > 0 ? Object.fromEntries(values) : undefined;
      },
    ]),
  );
  return {
    states,
    prefer: (): Record<string, string> => (current?.prefer ? { prefer: current.prefer } : {}),
    plans,
  };
}
