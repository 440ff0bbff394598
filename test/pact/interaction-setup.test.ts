import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type ConsumerInteraction, consumerPact } from "../../contracts/support/consumer-pacts.js";
import { packageRoot } from "../../src/package-root.js";
import { readPact } from "../../src/pact/pact-file.js";
import { planInteractionSetup } from "../../src/pact/provider-states/interaction-setup.js";
import { readStateSentence, vocabulary } from "../../src/pact/provider-states/vocabulary.js";

const id = "5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19";
const profiles = "/beta/education/synchronizationProfiles";

const interactionOf = (interaction: ConsumerInteraction, version: 2 | 3 | 4 = 3) => {
  const [read] = readPact(JSON.stringify(consumerPact("unit", version, [interaction])), "unit.json").interactions;
  if (!read) throw new Error("no interaction");
  return read;
};
const plan = (interaction: ConsumerInteraction, infer = true) =>
  planInteractionSetup(interactionOf(interaction), { infer });

describe("readStateSentence", () => {
  test("contracts/README.md lists every sentence of the vocabulary, and each example reads as its own sentence", () => {
    const readme = readFileSync(join(packageRoot, "contracts", "README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `([^`]+)` +\| ([^|]+?) +\| `([^`]+)` +\|$/gm)].map((m) => ({
      sentence: m[1],
      setsUp: m[2],
      example: m[3],
    }));
    expect(rows).toEqual(vocabulary.map(({ sentence, setsUp, example }) => ({ sentence, setsUp, example })));
    for (const entry of vocabulary)
      expect(readStateSentence(entry.example, { status: "success" }), entry.example).toBeDefined();
  });

  test.each([
    ["no synchronization profiles exist", {}, { kind: "noProfiles" }],
    ["No profiles exist", {}, { kind: "noProfiles" }],
    ["12 synchronization profiles exist", {}, { kind: "profileCount", count: 12 }],
    ["${count} profiles exist", { count: 2 }, { kind: "profileCount", count: 2 }],
    [
      `a synchronization profile with id ${id} is provisioning`,
      {},
      { kind: "profile", profile: { chosen: id }, state: "provisioning" },
    ],
    [`profile ${id.toUpperCase()} exists`, {}, { kind: "profile", profile: { chosen: id }, state: "provisioned" }],
    [
      "a synchronization profile with id ${id} is provisioned",
      {},
      { kind: "profile", profile: { generated: "id" }, state: "provisioned" },
    ],
    [
      "a synchronization profile with id ${profileId} is provisioned",
      { profileId: id },
      { kind: "profile", profile: { chosen: id }, state: "provisioned" },
    ],
    [
      "the sync of synchronization profile ${id} failed with ${errors} errors",
      { errors: 7 },
      { kind: "profile", profile: { generated: "id" }, state: "provisioned", status: "error", errors: 7 },
    ],
    [
      "a synchronization profile with id ${id} has sync status ${status}",
      { status: "success" },
      { kind: "profile", profile: { generated: "id" }, state: "provisioned", status: "success" },
    ],
    [`no synchronization profile with id ${id} exists`, {}, { kind: "absent", profile: { chosen: id } }],
    ["the service is throttling requests", {}, { kind: "throttling", retryAfterSeconds: 2 }],
  ])("%s", (sentence, params, need) => {
    expect(readStateSentence(sentence, params)).toEqual(need);
  });

  test("a sentence outside the vocabulary is not read", () => {
    expect(readStateSentence(`profile ${id} has finished provisioning`)).toBeUndefined();
    expect(readStateSentence("a synchronization profile with id 1234 is provisioned")).toBeUndefined();
  });

  test.each([
    ["a synchronization profile with id ${id} is provisioned", { id: "not-a-guid" }, /the param 'id' must be a GUID/],
    [
      "a synchronization profile with id ${id} has sync status ${status}",
      { status: "Running" },
      /the sync status must be one of paused, inProgress/,
    ],
    [
      "${count} synchronization profiles exist",
      { count: -1 },
      /the count must be a whole number from 0 to 1000, got -1/,
    ],
  ])("%s with a bad param is a clear error", (sentence, params, message) => {
    expect(() => readStateSentence(sentence, params)).toThrow(message);
  });
});

describe("planInteractionSetup", () => {
  test("a GUID answered 2xx is a profile; its expected state, provider and name are the profile's", () => {
    const setup = plan({
      description: "get",
      request: { method: "GET", path: `/testEduApi/education/synchronizationProfiles/${id}` },
      response: {
        status: 200,
        body: {
          id,
          state: "provisioning",
          displayName: "Fabrikam",
          dataProvider: { "@odata.type": "#microsoft.graph.educationOneRosterApiDataProvider" },
        },
      },
    });
    expect(setup.profiles).toMatchObject([
      { id, state: "provisioning", provider: "oneRoster", displayName: "Fabrikam" },
    ]);
  });

  test.each([
    ["pause", "POST", "/pause", 200, { status: "inProgress" }],
    ["resume", "POST", "/resume", 200, { status: "paused" }],
    // Reset, like resume, needs a sync that ran (decisions.md#sync-status-before-start).
    ["reset", "POST", "/reset", 200, { state: "provisioned", status: "success" }],
    ["DELETE, in the wrong state", "DELETE", "", 409, { state: "deleting" }],
    ["start, clean", "POST", "/start", 200, { provider: "csv" }],
    ["uploadUrl", "GET", "/uploadUrl", 200, { provider: "csv" }],
    ["start, in the wrong state", "POST", "/start", 409, { state: "provisioning" }],
    ["PATCH, in the wrong state", "PATCH", "", 409, { state: "deleting" }],
  ] as const)(
    "an action expected to answer as given gets a state the lifecycle answers that in: %s",
    (_name, method, suffix, status, want) => {
      const setup = plan({
        description: "action",
        request: {
          method,
          path: `${profiles}/${id}${suffix}`,
          ...(method === "PATCH" ? { body: { displayName: "x" } } : {}),
        },
        response: { status },
      });
      expect(setup.profiles).toMatchObject([{ id, ...want }]);
    },
  );

  test.each([
    ["BadRequest, as the service answers it", "BadRequest"],
    ["notSupported, as the kit answered before it took the service's code", "notSupported"],
  ])("start answering 400 with Graph's error envelope (%s) is a profile that is no CSV one", (_name, code) => {
    const setup = plan({
      description: "start on an API provider",
      request: { method: "POST", path: `${profiles}/${id}/start` },
      response: { status: 400, body: { error: { code, message: "Start needs a CSV data provider." } } },
    });
    expect(setup.profiles).toMatchObject([{ id, provider: "powerSchool" }]);
  });

  test("a state shared by interactions with different needs gives each its own", () => {
    const state = [{ name: `profile ${id} is ready` }];
    const status = plan({
      description: "status",
      states: state,
      request: { method: "GET", path: `${profiles}/${id}/profileStatus` },
      response: { status: 200, body: { status: "error", errorCount: 3 } },
    });
    const errors = plan({
      description: "errors",
      states: state,
      request: { method: "GET", path: `${profiles}/${id}/errors` },
      response: { status: 200, body: { value: [{}, {}], "@odata.count": 5 } },
    });
    expect(status.profiles).toMatchObject([{ status: "error", errors: 3 }]);
    expect(errors.profiles).toMatchObject([{ status: "error", errors: 5 }]);
    expect(status.notes).toEqual([
      `the state "profile ${id} is ready" is not in the vocabulary: what it needs is read from the interaction`,
    ]);
  });

  test("a fromProviderState path binds the generated id the state hands back", () => {
    const setup = plan({
      description: "generated",
      states: [{ name: "a synchronization profile with id ${id} is provisioned" }],
      request: {
        method: "GET",
        path: `${profiles}/${id}/profileStatus`,
        pathFromState: `${profiles}/\${id}/profileStatus`,
      },
      response: { status: 200, body: { status: "success" } },
    });
    expect(setup.profiles).toMatchObject([{ handBackAs: ["id"], state: "provisioned", status: "success" }]);
    expect(setup.profiles[0]?.id).toBeUndefined();
  });

  test.each([
    [
      "a state and the expected state disagree",
      {
        states: [{ name: `a synchronization profile with id ${id} is provisioning` }],
        request: { method: "GET", path: `${profiles}/${id}` },
        response: { status: 200, body: { state: "provisioned" } },
      },
      `needs state "provisioned", but the state "a synchronization profile with id ${id} is provisioning" set it to "provisioning"`,
    ],
    [
      "a profile that must not exist is expected",
      {
        states: [{ name: `no synchronization profile with id ${id} exists` }],
        request: { method: "GET", path: `${profiles}/${id}` },
        response: { status: 200 },
      },
      `profile ${id} must both exist and not exist`,
    ],
    [
      "a sync status on a profile that is not provisioned",
      {
        states: [{ name: `a synchronization profile with id ${id} is being deleted` }],
        request: { method: "GET", path: `${profiles}/${id}/profileStatus` },
        response: { status: 200, body: { status: "success" } },
      },
      "a profile cannot be deleting and have a sync status (success)",
    ],
    [
      "sync errors on a running sync",
      {
        states: [{ name: `the sync of profile ${id} is running` }],
        request: { method: "GET", path: `${profiles}/${id}/errors` },
        response: { status: 200, body: { value: [{}] } },
      },
      "sync errors are recorded by a failed sync, not by one in inProgress",
    ],
    [
      "an empty tenant lists profiles",
      {
        states: [{ name: "no synchronization profiles exist" }],
        request: { method: "GET", path: profiles },
        response: { status: 200, body: { value: [{ id }] } },
      },
      `"no synchronization profiles exist", but the expected page lists 1`,
    ],
    [
      "fewer profiles than the page lists",
      {
        states: [{ name: "1 synchronization profiles exist" }],
        request: { method: "GET", path: profiles },
        response: { status: 200, body: { value: [{}, {}] } },
      },
      "the state sets up 1 profiles, but the expected page lists 2",
    ],
    [
      "a throttle and an answer",
      {
        states: [{ name: "the service is throttling requests" }],
        request: { method: "GET", path: profiles },
        response: { status: 200, body: { value: [] } },
      },
      "a state throttles the next request, but the interaction expects 200, not 429",
    ],
  ] as const)("a self-contradictory interaction fails, saying why: %s", (_name, interaction, message) => {
    const contradiction = { description: "contradiction", ...interaction } as unknown as ConsumerInteraction;
    expect(() => plan(contradiction)).toThrow(/^interaction "contradiction": /);
    expect(() => plan(contradiction)).toThrow(message);
  });

  test("with inference off, a state outside the vocabulary is an error naming it", () => {
    expect(() =>
      plan(
        {
          description: "team state",
          states: [{ name: "profile is ready" }],
          request: { method: "GET", path: `${profiles}/${id}` },
          response: { status: 200 },
        },
        false,
      ),
    ).toThrow(`interaction "team state": the state "profile is ready" is not a sentence of the kit's vocabulary`);
  });

  test("version 2 pacts are read the same way", () => {
    const [read] = readPact(
      JSON.stringify(
        consumerPact("v2", 2, [
          {
            description: "v2",
            states: [{ name: `the sync of profile ${id} succeeded` }],
            request: { method: "GET", path: `${profiles}/${id}/profileStatus` },
            response: { status: 200, body: { status: "success" } },
          },
        ]),
      ),
      "v2.json",
    ).interactions;
    expect(read && planInteractionSetup(read).profiles).toMatchObject([{ id, status: "success" }]);
  });
});
