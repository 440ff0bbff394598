import { describe, expect, test } from "vitest";
import { csvProfile, ProvisioningFailedError } from "../src/roster-sync.js";
import { rosterSyncForTest } from "./support.js";

describe("createProfileAndWait", () => {
  test("creates a CSV profile and resolves once it is provisioned", async () => {
    const sync = rosterSyncForTest();

    const profile = await sync.createProfileAndWait(csvProfile("Contoso High 2026"));

    expect(profile.state).toBe("provisioned");
    // Read back through the typed client: the profile SDS keeps is the one we asked for.
    const stored = await sync.client.getSynchronizationProfile(profile.id);
    expect(stored).toMatchObject({ id: profile.id, displayName: "Contoso High 2026", state: "provisioned" });
  });

  test("rejects with ProvisioningFailedError when provisioning fails", async () => {
    const sync = rosterSyncForTest();

    // The simulator's scenario token: this profile's provisioning ends in provisioningFailed.
    const creating = sync.createProfileAndWait(csvProfile("Fabrikam Middle [sds:provisioning-failed]"));

    await expect(creating).rejects.toBeInstanceOf(ProvisioningFailedError);
    await expect(creating).rejects.toMatchObject({ profile: { state: "provisioningFailed" } });
  });
});
