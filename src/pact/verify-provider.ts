import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createTestToken } from "../auth/test-token.js";
import { packageRoot } from "../package-root.js";
import { importPart } from "../parts/optional-parts.js";
import type { ConformanceLevel } from "../spec/provenance.js";
import { specValidators } from "../validation/spec-validators.js";
import { formatViolation } from "../validation/violation.js";
import { adminApiSetupHandlers, describeSetups, preparePacts } from "./provider-states/pact-setup.js";
import { preferSetupHandlers } from "./provider-states/prism-prefer-states.js";
import type { StateHandlers } from "./provider-states/state-names.js";
import { type JudgedExchange, startSpecJudgingProxy } from "./spec-judging-proxy.js";

export const kitPactFiles = () =>
  readdirSync(join(packageRoot, "contracts", "pacts"))
    .filter((name) => name.endsWith(".json"))
    .map((name) => join(packageRoot, "contracts", "pacts", name));

export interface VerifyOptions {
  providerBaseUrl: string;
  pactFiles?: string[];
  /** The token the request filter puts in place of the pact's example one. Default: a test token with every permission. */
  token?: string;
  /** Tenant the provider states are set up in (the test token's tid). */
  tenant?: string;
  /** Where the admin API that sets up provider states lives, if not at `providerBaseUrl`. */
  statesUrl?: string;
  /**
   * How provider states are set up:
   * - `"admin-api"` (the default): each interaction on its own, through the simulator's admin API,
   *   from the vocabulary of state sentences and what the interaction itself implies;
   * - `"prefer"`: a stateless mock (the Prism mock), each request steered with `Prefer`; the
   *   interactions it cannot satisfy are reported before verification;
   * - your own handlers, by state name, for a provider with neither.
   */
  states?: "admin-api" | "prefer" | StateHandlers;
  /** Read what each interaction needs from its request and expected response too, beyond its states (default true). */
  inferStates?: boolean;
  /** Headers to add to a request about to be verified. */
  extraHeaders?: (request: { method: string; path: string }) => Record<string, string>;
  /** Gets one line per interaction: what was set up and which rule decided it (and what a stateless mock cannot satisfy). */
  report?: (line: string) => void;
  /**
   * The level every response is also judged against the spec at (decisions.md#conformance-levels):
   * `kit` (the default) for the kit's own mocks, `documented` for a real or third-party provider.
   */
  level?: ConformanceLevel;
}

/** The provider answered what its pacts expected, but not what the spec promises. */
export class SpecConformanceError extends Error {
  override name = "SpecConformanceError";
  constructor(
    readonly level: ConformanceLevel,
    readonly failures: JudgedExchange[],
  ) {
    super(
      [
        `${failures.length} response(s) of the provider broke the spec at the ${level} level:`,
        ...failures.flatMap((failure) =>
          failure.violations.map(
            (violation) =>
              `  ${failure.method} ${failure.path} -> ${failure.status}: ${formatViolation(violation)}${violation.source ? ` [${violation.source}]` : ""}`,
          ),
        ),
      ].join("\n"),
    );
  }
}

/**
 * Verifies pacts against a running provider. Provider states are set up through its admin API
 * (the simulator's `/_sds`); a request filter replaces the example bearer token with a real one,
 * so the contract never pins credentials, and leaves requests that carry none alone. Every
 * response also passes a proxy that judges it against the spec at `level`; a response that breaks
 * the spec fails the verification with a {@link SpecConformanceError}, even when the pact passed.
 */
export async function verifyProvider(options: VerifyOptions): Promise<string> {
  // Pact is an optional part, loaded when a verification runs (it brings Pact's native core).
  const { Verifier } = await importPart("pact", () => import("@pact-foundation/pact"));
  const tenant = options.tenant ?? "pact-verification";
  const token = options.token ?? createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: tenant });
  const level = options.level ?? "kit";
  const pactFiles = options.pactFiles ?? kitPactFiles();
  const mode = options.states ?? "admin-api";
  const report = options.report ?? (() => undefined);

  let setup: {
    pactUrls: string[];
    stateHandlers: StateHandlers;
    prefer?: (r: { method: string; path: string }) => Record<string, string>;
    cleanup(): void;
  };
  if (typeof mode === "object") {
    setup = { pactUrls: pactFiles, stateHandlers: mode, cleanup: () => undefined };
  } else {
    const prepared = preparePacts(pactFiles, { infer: options.inferStates ?? true });
    for (const line of describeSetups(prepared.interactions)) report(line);
    if (mode === "prefer") {
      const steered = preferSetupHandlers(prepared.interactions, specValidators().document);
      for (const { interaction, stateName } of prepared.interactions)
        for (const reason of steered.plans.get(stateName)?.cannot ?? [])
          report(`✗ a stateless mock cannot satisfy "${interaction.description}": ${reason}`);
      setup = {
        pactUrls: prepared.files,
        stateHandlers: steered.states,
        prefer: steered.prefer,
        cleanup: prepared.cleanup,
      };
    } else {
      const statesUrl = options.statesUrl ?? options.providerBaseUrl;
      setup = {
        pactUrls: prepared.files,
        stateHandlers: adminApiSetupHandlers(prepared.interactions, statesUrl, tenant),
        cleanup: prepared.cleanup,
      };
    }
  }

  const proxy = await startSpecJudgingProxy(options.providerBaseUrl, level);
  let output: string;
  try {
    output = await new Verifier({
      provider: "sds-synchronization-profiles",
      providerBaseUrl: proxy.url,
      pactUrls: setup.pactUrls,
      stateHandlers: setup.stateHandlers,
      requestFilter: (
        req: { method: string; path: string; headers: Record<string, unknown> },
        _res: unknown,
        next: () => void,
      ) => {
        if (req.headers.authorization) req.headers.authorization = `Bearer ${token}`;
        const extra = { ...setup.prefer?.(req), ...options.extraHeaders?.(req) };
        // A preference the consumer sent (include-unknown-enum-members) is kept beside the mock's.
        if (extra.prefer !== undefined && typeof req.headers.prefer === "string")
          extra.prefer = `${req.headers.prefer}, ${extra.prefer}`;
        Object.assign(req.headers, extra);
        next();
      },
      logLevel: "warn",
    }).verifyProvider();
  } finally {
    await proxy.close();
    setup.cleanup();
  }
  if (proxy.failures.length > 0) throw new SpecConformanceError(level, proxy.failures);
  return output;
}
