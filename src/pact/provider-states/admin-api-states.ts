import { csvProfileRequest } from "./csv-profile-request.js";
import { providerStates, type StateHandlers } from "./state-names.js";

/**
 * The provider states of the kit's pacts, set up through the simulator's admin API (`/_sds`). A
 * provider of your own can serve the same admin routes, or take these handlers as the list of
 * states to implement. Ids are the provider's own; they flow back into the requests through
 * `fromProviderState`.
 */
export function adminApiStateHandlers(adminUrl: string, tenant: string): StateHandlers {
  const admin = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${adminUrl}/_sds${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sds-tenant": tenant },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`provider state: POST /_sds${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const seed = async (fields: Record<string, unknown>) => {
    const created = await admin("/profiles", { tenant, profile: csvProfileRequest, ...fields });
    return { id: String(created.id) };
  };

  return {
    [providerStates.noProfiles]: async () => {
      await admin("/reset");
      return undefined;
    },
    [providerStates.provisioned]: async () => {
      await admin("/reset");
      return seed({ state: "provisioned" });
    },
    [providerStates.syncStatus]: async (params) => {
      await admin("/reset");
      const status = String((params as { status?: string } | undefined)?.status ?? "success");
      return seed({ state: "provisioned", status, errors: status === "error" ? 14 : 0 });
    },
    [providerStates.verificationErrors]: async () => {
      await admin("/reset");
      return seed({ state: "provisioned", scenario: "verification-errors" });
    },
    [providerStates.threeProfiles]: async () => {
      await admin("/reset");
      for (let i = 0; i < 3; i += 1) await seed({ state: "provisioned" });
      return undefined;
    },
    [providerStates.throttling]: async () => {
      await admin("/reset");
      await admin("/faults", { throttle: 2, count: 1 });
      return undefined;
    },
  };
}
