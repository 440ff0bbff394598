import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Verifier } from "@pact-foundation/pact";
import { createTestToken } from "../auth/test-token.js";
import { packageRoot } from "../package-root.js";
import { adminApiStateHandlers } from "./provider-states/admin-api-states.js";
import type { StateHandlers } from "./provider-states/state-names.js";

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
}

/**
 * Verifies pacts against a running provider. Provider states are set up through its admin API
 * (the simulator's `/_sds`); a request filter replaces the example bearer token with a real one,
 * so the contract never pins credentials, and leaves requests that carry none alone.
 */
export async function verifyProvider(options: VerifyOptions): Promise<string> {
  const tenant = options.tenant ?? "pact-verification";
  const token = options.token ?? createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: tenant });
  const verifier = new Verifier({
    provider: "sds-synchronization-profiles",
    providerBaseUrl: options.providerBaseUrl,
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
