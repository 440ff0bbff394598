import type { Operation } from "../../generated/route-table.js";
import { readExample } from "./spec-source.js";

export const documentedProfileId = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";

/** Any bearer token passes Prism's security check; the simulator mints and checks real ones. */
export const anyBearer = { authorization: "Bearer eyJhbGciOiJub25lIn0.e30." };

const bodies: Record<string, string> = {
  createSynchronizationProfile: "createSynchronizationProfile.request",
  replaceSynchronizationProfile: "replaceSynchronizationProfile.request",
  updateSynchronizationProfile: "updateSynchronizationProfile.request",
};

/** A request the spec accepts for the operation: the documented id, and an example body where one is taken. */
export function validRequest(
  operation: Pick<Operation, "operationId" | "method" | "path">,
  headers: Record<string, string> = {},
) {
  const exampleName = bodies[operation.operationId];
  const body = exampleName ? JSON.stringify(readExample(exampleName).value) : undefined;
  return {
    path: operation.path.replace("{id}", documentedProfileId),
    init: {
      method: operation.method,
      headers: { ...anyBearer, ...(body ? { "content-type": "application/json" } : {}), ...headers },
      body,
    } satisfies RequestInit,
  };
}

/** The response's JSON body, or undefined when it has none. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text.length === 0 ? undefined : JSON.parse(text);
}
