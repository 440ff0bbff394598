import { providerStates, type StateHandlers } from "./state-names.js";

/**
 * How the Prism mock satisfies the kit's pacts: it keeps no state, so each provider state picks
 * the `Prefer` that makes Prism answer what the state implies. Every interaction of the kit's own
 * pacts can be served this way. What Prism cannot serve in general, and why:
 * - an answer that depends on an earlier request (a profile created, then read back): no state;
 * - a response that must echo what the request sent (an equality matcher on the created
 *   profile's displayName): Prism serves the spec's example, not the request;
 * - states the spec has no example for (a profile in deletionFailed, say): no `Prefer` selects it.
 */
const documentedId = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";

export function prismPreferStates(): {
  states: StateHandlers;
  prefer(request: { method: string; path: string }): Record<string, string>;
} {
  let current: { state: string; params: Record<string, unknown> } = { state: "", params: {} };
  const remember =
    (state: string, id = true) =>
    async (params?: unknown) => {
      current = { state, params: (params ?? {}) as Record<string, unknown> };
      return id ? { id: documentedId } : undefined;
    };
  const states: StateHandlers = {
    [providerStates.noProfiles]: remember("none", false),
    [providerStates.provisioned]: remember("provisioned"),
    [providerStates.syncStatus]: remember("status"),
    [providerStates.verificationErrors]: remember("verification-errors"),
    [providerStates.threeProfiles]: remember("three", false),
    [providerStates.throttling]: remember("throttling", false),
  };

  /** The `Prefer` for the request about to be verified, from the state it was set up in. */
  const prefer = ({ method, path }: { method: string; path: string }): Record<string, string> => {
    const choose = (value: string) => ({ prefer: value });
    switch (current.state) {
      case "none":
        return method === "GET" && /\/synchronizationProfiles\/[^/]+$/.test(path) ? choose("code=404") : {};
      case "status": {
        const status = String(current.params.status ?? "");
        return path.endsWith("/profileStatus") && ["success", "error"].includes(status)
          ? choose(`example=${status}`)
          : {};
      }
      case "verification-errors":
        return choose("code=400, example=verification-errors");
      case "three":
        return choose("example=paged");
      case "throttling":
        return choose("code=429");
      default:
        return {};
    }
  };
  return { states, prefer };
}
