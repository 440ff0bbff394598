import { csvProfileRequest } from "./csv-profile-request.js";

/** Pact's state handler shape: set the state up, and return values for `fromProviderState`. */
type StateHandlers = Record<string, (params?: unknown) => Promise<Record<string, string> | undefined>>;

/**
 * The provider states of the kit's pacts, set up through the simulator's admin API (`/_sds`). A
 * provider of your own can serve the same admin routes, or take these handlers as the list of
 * states to implement. Ids are the provider's own; they flow back into the requests through
 * `fromProviderState`.
 */
export function providerStateHandlers(adminUrl: string, tenant: string): StateHandlers {
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
    "no synchronization profiles exist": async () => {
      await admin("/reset");
      return undefined;
    },
    "a synchronization profile with id ${id} is provisioned": async () => {
      await admin("/reset");
      return seed({ state: "provisioned" });
    },
    "a synchronization profile with id ${id} has sync status ${status}": async (params) => {
      await admin("/reset");
      const status = String((params as { status?: string } | undefined)?.status ?? "success");
      return seed({ state: "provisioned", status, errors: status === "error" ? 14 : 0 });
    },
    "a synchronization profile with id ${id} has files with verification errors": async () => {
      await admin("/reset");
      return seed({ state: "provisioned", scenario: "verification-errors" });
    },
    "3 synchronization profiles exist": async () => {
      await admin("/reset");
      for (let i = 0; i < 3; i += 1) await seed({ state: "provisioned" });
      return undefined;
    },
    "the service is throttling requests": async () => {
      await admin("/reset");
      await admin("/faults", { throttle: 2, count: 1 });
      return undefined;
    },
  };
}
