import { randomUUID } from "node:crypto";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { createTestToken } from "sds-contract-kit";
import { describe, expect, inject, test } from "vitest";
import { createGraphSdkProfiles } from "../src/graph-sdk-profiles.js";
import { csvProfile, type ProfileRequest } from "../src/roster-sync.js";

// The simulator serves https (test/global-setup.ts), and NODE_EXTRA_CA_CERTS names its CA.
const origin = new URL(inject("graphBaseUrl")).origin;
const profilesForTest = () => {
  const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: randomUUID() });
  return createGraphSdkProfiles({ origin, getToken: () => token });
};

describe("our Graph SDK code, against the simulator over HTTPS", () => {
  test("creates a profile, polls it until provisioned and reads its status", async () => {
    const profiles = profilesForTest();

    const created = await profiles.create(csvProfile("Contoso High (Graph SDK)"));
    expect(created.state).toBe("provisioning");
    const provisioned = await profiles.waitWhileProvisioning(created.id, { intervalMs: 100, timeoutMs: 30_000 });

    expect(provisioned).toMatchObject({ id: created.id, state: "provisioned" });
    expect((await profiles.status(created.id)).status).toEqual(expect.any(String));
  });

  test("a request SDS refuses surfaces as the SDK's GraphError with Graph's status and code", async () => {
    const profiles = profilesForTest();

    // Deliberately not a valid request: no identitySynchronizationConfiguration.
    const { identitySynchronizationConfiguration: _, ...incomplete } = csvProfile("No users");
    const refused = profiles.create(incomplete as ProfileRequest);

    await expect(refused).rejects.toBeInstanceOf(GraphError);
    await expect(refused).rejects.toMatchObject({ statusCode: 400, code: "BadRequest" });
  });
});
