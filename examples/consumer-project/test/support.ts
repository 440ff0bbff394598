import { randomUUID } from "node:crypto";
import { createTestToken } from "sds-contract-kit";
import { inject } from "vitest";
import { createRosterSync, type RosterSync, type RosterSyncOptions } from "../src/roster-sync.js";

/**
 * Our roster sync pointed at the simulator, as an administrator of a tenant of its own: the
 * simulator keeps each tenant's profiles apart, so test files running side by side never meet.
 */
export function rosterSyncForTest(options: Partial<RosterSyncOptions> = {}): RosterSync {
  const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: randomUUID() });
  return createRosterSync({
    baseUrl: inject("graphBaseUrl"),
    getToken: () => token,
    pollIntervalMs: 100,
    provisioningTimeoutMs: 30_000,
    ...options,
  });
}
