import type { ConsumerInteraction } from "./consumer-pacts.js";

// A pact as a consumer team writes it: its own state names, ids hard-coded, matchers where it does
// not care about a value. Seven interactions, one per thing the team's client does.
export const profileId = "5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19";
export const missingId = "00000000-0000-4000-8000-000000000000";
export const profiles = "/beta/education/synchronizationProfiles";
const type = { match: "type" } as const;

export const teamPact: ConsumerInteraction[] = [
  {
    description: "a provisioned profile",
    states: [{ name: `profile ${profileId} has finished provisioning` }],
    request: { method: "GET", path: `${profiles}/${profileId}` },
    response: {
      status: 200,
      body: { id: profileId, displayName: "Contoso roster", state: "provisioned" },
      rules: { "$.displayName": type },
    },
  },
  {
    description: "the status of a running sync",
    states: [{ name: `the sync of profile ${profileId} is running` }],
    // Without the /beta prefix: the simulator answers under both.
    request: { method: "GET", path: `/education/synchronizationProfiles/${profileId}/profileStatus` },
    response: { status: 200, body: { status: "inProgress" } },
  },
  {
    description: "the status after a failed sync",
    states: [{ name: `the last sync of profile ${profileId} failed` }],
    request: { method: "GET", path: `${profiles}/${profileId}/profileStatus` },
    response: {
      status: 200,
      body: { status: "error", errorCount: 3 },
      rules: { "$.errorCount": { match: "integer" } },
    },
  },
  {
    description: "the errors of a failed sync",
    states: [{ name: `the last sync of profile ${profileId} failed` }],
    request: { method: "GET", path: `${profiles}/${profileId}/errors` },
    response: {
      status: 200,
      body: { value: [{ errorCode: "UnsynchronizableChange", entryType: "Student" }] },
      rules: { "$.value": { match: "type", min: 1 } },
    },
  },
  {
    description: "a profile that does not exist",
    states: [{ name: `there is no profile ${missingId}` }],
    request: { method: "GET", path: `${profiles}/${missingId}` },
    response: { status: 404, body: { error: { code: "itemNotFound" } } },
  },
  {
    description: "pausing a profile's sync",
    states: [{ name: `profile ${profileId} has finished provisioning` }],
    request: { method: "POST", path: `${profiles}/${profileId}/pause` },
    response: { status: 200 },
  },
  {
    description: "creating a profile",
    request: {
      method: "POST",
      path: profiles,
      body: {
        displayName: "Contoso roster",
        dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
        identitySynchronizationConfiguration: {
          "@odata.type": "#microsoft.graph.educationIdentityCreationConfiguration",
          userDomains: [{ appliesTo: "student", name: "contoso.edu" }],
        },
      },
    },
    response: { status: 202, body: { id: profileId, state: "provisioning" }, rules: { "$.id": type } },
  },
];
