import { Client } from "@microsoft/microsoft-graph-client";
import type { ProfileRequest } from "./roster-sync.js";

export interface GraphSdkOptions {
  /** Graph's origin: `https://graph.microsoft.com`, or the simulator's https URL in tests. */
  origin: string;
  getToken: () => string | Promise<string>;
}

interface Profile {
  id: string;
  displayName: string;
  state: string;
}

/**
 * Our older code path, on Microsoft's Graph SDK rather than the kit's typed client. Pointing it at
 * the simulator is configuration only: the SDK sends its token over https, to Graph's own hosts
 * and to `customHosts`, so the simulator's host is named there; nothing else differs.
 */
export function createGraphSdkProfiles(options: GraphSdkOptions) {
  const host = new URL(options.origin).hostname;
  const client = Client.initWithMiddleware({
    baseUrl: options.origin,
    defaultVersion: "beta",
    authProvider: { getAccessToken: async () => options.getToken() },
    ...(host === "graph.microsoft.com" ? {} : { customHosts: new Set([host]) }),
  });
  const profiles = "/education/synchronizationProfiles";

  return {
    create: (profile: ProfileRequest) => client.api(profiles).post(profile) as Promise<Profile>,
    get: (id: string) => client.api(`${profiles}/${id}`).get() as Promise<Profile>,
    status: (id: string) => client.api(`${profiles}/${id}/profileStatus`).get() as Promise<{ status: string }>,

    /** Polls every `intervalMs` until the profile leaves `provisioning`; gives up after `timeoutMs`. */
    async waitWhileProvisioning(id: string, { intervalMs = 5000, timeoutMs = 600_000 } = {}): Promise<Profile> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const profile = (await client.api(`${profiles}/${id}`).get()) as Profile;
        if (profile.state !== "provisioning") return profile;
        if (Date.now() >= deadline) throw new Error(`profile ${id} still provisioning after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
  };
}
