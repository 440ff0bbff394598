import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Verifier } from "@pact-foundation/pact";
import { createTestToken } from "../auth/test-token.js";
import { packageRoot } from "../package-root.js";
import type { ConformanceLevel } from "../spec/provenance.js";
import { formatViolation } from "../validation/violation.js";
import { adminApiStateHandlers } from "./provider-states/admin-api-states.js";
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
  /** Other state handlers, for a provider without the admin API (the Prism mock). */
  stateHandlers?: StateHandlers;
  /** Headers to add to a request about to be verified (the Prism mock's `Prefer`). */
  extraHeaders?: (request: { method: string; path: string }) => Record<string, string>;
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
  const tenant = options.tenant ?? "pact-verification";
  const token = options.token ?? createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: tenant });
  const level = options.level ?? "kit";
  const proxy = await startSpecJudgingProxy(options.providerBaseUrl, level);
  let output: string;
  try {
    output = await verifyThrough(proxy.url, options, tenant, token);
  } finally {
    await proxy.close();
  }
  if (proxy.failures.length > 0) throw new SpecConformanceError(level, proxy.failures);
  return output;
}

function verifyThrough(
  providerBaseUrl: string,
  options: VerifyOptions,
  tenant: string,
  token: string,
): Promise<string> {
  const verifier = new Verifier({
    provider: "sds-synchronization-profiles",
    providerBaseUrl,
    pactUrls: options.pactFiles ?? kitPactFiles(),
    stateHandlers: options.stateHandlers ?? adminApiStateHandlers(options.statesUrl ?? options.providerBaseUrl, tenant),
    requestFilter: (
      req: { method: string; path: string; headers: Record<string, unknown> },
      _res: unknown,
      next: () => void,
    ) => {
      if (req.headers.authorization) req.headers.authorization = `Bearer ${token}`;
      Object.assign(req.headers, options.extraHeaders?.({ method: req.method, path: req.path }));
      next();
    },
    logLevel: "warn",
  });
  return verifier.verifyProvider();
}
