import { absentRecord } from "../../mocks/simulator/lifecycle.js";
import { defaultScenario } from "../../mocks/simulator/scenarios.js";
import type { StoredProfile } from "../../mocks/simulator/store.js";

/** A stored profile as a create leaves it, for the store tests: in `state`, with a name made from its id. */
export const storedProfile = (
  tenant: string,
  id: string,
  state: StoredProfile["state"] = "provisioning",
): StoredProfile => ({
  ...absentRecord(defaultScenario, false, undefined),
  state,
  id,
  tenant,
  resource: { displayName: `profile ${id.slice(0, 4)}` } as StoredProfile["resource"],
  errors: [],
  uploadUrlBusyUntil: 0,
});

/** Three profile ids, in the order they sort. */
export const profileIds = [
  "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b",
  "1c5a7b6f-4d2e-4f3a-8b9c-8d7e6f5a4b3c",
  "2d6b8c7a-5e3f-4a4b-9cad-9e8f7a6b5c4d",
] as const;
