import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { afterAll, describe, expect, test } from "vitest";
import { GraphError } from "../src/client/graph-error.js";
import { createSynchronizationProfilesClient } from "../src/client/synchronization-profiles-client.js";
import { csvProfileRequest } from "../src/pact/provider-states/csv-profile-request.js";
import { providerStates } from "../src/pact/provider-states/state-names.js";
import { markPassed, pactOutputDir } from "./pact-output.js";

const { eachLike, fromProviderState, regex, string, uuid } = MatchersV3;

/**
 * The kit's own consumer: its typed client, driven against Pact's mock server. These pacts are
 * the contract the kit publishes for provider teams (contracts/pacts/). The consumer asserts only
 * what it reads; matchers pin shapes and enum values, not example data.
 */
const pact = new PactV4({
  consumer: "sds-contract-kit-client",
  provider: "sds-synchronization-profiles",
  dir: pactOutputDir,
  logLevel: "error",
});

// Published to contracts/pacts only when every interaction below passed.
// biome-ignore lint/correctness/noEmptyPattern: vitest reads the hook's first parameter, and insists on a pattern
afterAll(({}, suite) => markPassed("sds-contract-kit-client-sds-synchronization-profiles.json", suite));

const exampleId = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
const profiles = "/beta/education/synchronizationProfiles";
const profilePath = (suffix = "") =>
  fromProviderState(`${profiles}/\${id}${suffix}`, `${profiles}/${exampleId}${suffix}`);
const bearer = { authorization: regex(/^Bearer .+$/, "Bearer eyJ0eXAiOiJKV1QifQ.e30.") };
const json = { "content-type": regex(/^application\/json/, "application/json") };
const state = (values: string) => regex(new RegExp(`^(${values})$`), values.split("|")[0] ?? "");
const profileStates = "provisioning|provisioned|provisioningFailed|deleting|deletionFailed";
const withState = (value: string) => regex(new RegExp(`^(${profileStates})$`), value);
// The consumer branches on the code alone: Graph's pages spell innerError's ids two ways.
const graphError = (code: string) => ({
  error: {
    code: state(code),
    message: string("Explains what went wrong."),
  },
});

const createBody = csvProfileRequest;
const profileBody = (value: string) => ({
  id: uuid(exampleId),
  displayName: string("Test Profile"),
  state: withState(value),
});

const client = (url: string, token = "eyJ0eXAiOiJKV1QifQ.e30.") =>
  createSynchronizationProfilesClient({ baseUrl: `${url}/beta`, token, sleep: async () => undefined });

describe("consumer contract: sds-contract-kit-client -> sds-synchronization-profiles", () => {
  test("create answers 202 with a provisioning profile", async () => {
    await pact
      .addInteraction()
      .given(providerStates.noProfiles)
      .uponReceiving("a request to create a CSV synchronization profile")
      .withRequest("POST", profiles, (builder) => builder.headers({ ...bearer, ...json }).jsonBody(createBody))
      .willRespondWith(202, (builder) => builder.headers(json).jsonBody(profileBody("provisioning")))
      .executeTest(async (server) => {
        const { status, profile } = await client(server.url).createSynchronizationProfile(createBody);
        expect([status, profile.state]).toEqual([202, "provisioning"]);
      });
  });

  test("create with an invalid body answers 400 with the Graph error envelope", async () => {
    const invalid = { ...createBody, displayName: "" };
    await pact
      .addInteraction()
      .given(providerStates.noProfiles)
      .uponReceiving("a request to create a profile without a display name")
      .withRequest("POST", profiles, (builder) => builder.headers({ ...bearer, ...json }).jsonBody(invalid))
      .willRespondWith(400, (builder) => builder.headers(json).jsonBody(graphError("BadRequest")))
      .executeTest(async (server) => {
        await expect(client(server.url).createSynchronizationProfile(invalid as never)).rejects.toMatchObject({
          status: 400,
          code: "BadRequest",
        });
      });
  });

  test("get answers a provisioned profile", async () => {
    await pact
      .addInteraction()
      .given(providerStates.provisioned, { state: "provisioned" })
      .uponReceiving("a request for a provisioned profile")
      .withRequest("GET", profilePath(), (builder) => builder.headers(bearer))
      .willRespondWith(200, (builder) => builder.headers(json).jsonBody(profileBody("provisioned")))
      .executeTest(async (server) => {
        expect((await client(server.url).getSynchronizationProfile(exampleId)).state).toBe("provisioned");
      });
  });

  test("get of an unknown id answers 404", async () => {
    await pact
      .addInteraction()
      .given(providerStates.noProfiles)
      .uponReceiving("a request for a profile that does not exist")
      .withRequest("GET", `${profiles}/${exampleId}`, (builder) => builder.headers(bearer))
      .willRespondWith(404, (builder) => builder.headers(json).jsonBody(graphError("itemNotFound")))
      .executeTest(async (server) => {
        await expect(client(server.url).getSynchronizationProfile(exampleId)).rejects.toMatchObject({
          status: 404,
          code: "itemNotFound",
        });
      });
  });

  test.each([["inProgress"], ["success"], ["error"]])("status answers %s", async (status) => {
    await pact
      .addInteraction()
      .given(providerStates.syncStatus, { status })
      .uponReceiving(`a request for the status of a profile whose sync is ${status}`)
      .withRequest("GET", profilePath("/profileStatus"), (builder) => builder.headers(bearer))
      .willRespondWith(200, (builder) =>
        builder.headers(json).jsonBody({
          status: regex(/^(paused|inProgress|success|error|validationError|quarantined|unknownFutureValue)$/, status),
        }),
      )
      .executeTest(async (server) => {
        expect((await client(server.url).getSynchronizationProfileStatus(exampleId)).status).toBe(status);
      });
  });

  test("list pages with @odata.nextLink", async () => {
    await pact
      .addInteraction()
      .given(providerStates.threeProfiles, { count: 3 })
      .uponReceiving("a request for the first page of profiles")
      .withRequest("GET", profiles, (builder) => builder.headers(bearer).query({ $top: "2" }))
      .willRespondWith(200, (builder) =>
        builder.headers(json).jsonBody({
          "@odata.nextLink": string(`http://localhost${profiles}?$top=2&$skiptoken=Mg`),
          value: eachLike(profileBody("provisioned"), 2),
        }),
      )
      .executeTest(async (server) => {
        const page = await client(server.url).listSynchronizationProfiles({ $top: 2 });
        expect(page.value.length).toBeGreaterThanOrEqual(2);
        expect(page["@odata.nextLink"]).toContain("$skiptoken");
      });
  });

  test.each([["pause"], ["resume"], ["reset"]])("%s answers 200 without a body", async (action) => {
    await pact
      .addInteraction()
      .given(providerStates.syncStatus, {
        status: action === "resume" ? "paused" : "inProgress",
      })
      .uponReceiving(`a request to ${action} a profile's sync`)
      .withRequest("POST", profilePath(`/${action}`), (builder) => builder.headers(bearer))
      .willRespondWith(200)
      .executeTest(async (server) => {
        const c = client(server.url);
        const call = {
          pause: c.pauseSynchronizationProfile,
          resume: c.resumeSynchronizationProfile,
          reset: c.resetSynchronizationProfile,
        }[action as "pause"];
        await expect(call(exampleId)).resolves.toBeUndefined();
      });
  });

  test("start of clean files answers 200 and starts", async () => {
    await pact
      .addInteraction()
      .given(providerStates.provisioned, { state: "provisioned" })
      .uponReceiving("a request to start a profile whose files verify cleanly")
      .withRequest("POST", profilePath("/start"), (builder) => builder.headers(bearer))
      .willRespondWith(200, (builder) => builder.headers(json).jsonBody({ value: [] }))
      .executeTest(async (server) => {
        expect(await client(server.url).startSynchronizationProfile(exampleId)).toEqual({
          started: true,
          messages: [],
        });
      });
  });

  test("start of files with errors answers 400 with the verification messages", async () => {
    await pact
      .addInteraction()
      .given(providerStates.verificationErrors, {})
      .uponReceiving("a request to start a profile whose files have errors")
      .withRequest("POST", profilePath("/start"), (builder) => builder.headers(bearer))
      .willRespondWith(400, (builder) =>
        builder.headers(json).jsonBody({
          // Every property of a verification message is optional in the spec: the consumer relies
          // on the 400 and on there being messages, not on their fields.
          value: eachLike({}),
        }),
      )
      .executeTest(async (server) => {
        const result = await client(server.url).startSynchronizationProfile(exampleId);
        expect(result.started).toBe(false);
        expect(result.messages.length).toBeGreaterThan(0);
      });
  });

  test("uploadUrl answers a SAS URL", async () => {
    await pact
      .addInteraction()
      .given(providerStates.provisioned, { state: "provisioned" })
      .uponReceiving("a request for an upload URL")
      .withRequest("GET", profilePath("/uploadUrl"), (builder) => builder.headers(bearer))
      .willRespondWith(200, (builder) =>
        builder.headers(json).jsonBody({
          // A signed URL the client uploads to as given: Azure's are https, the simulator's emulator
          // answers http on loopback, and the client does not care which.
          value: regex(
            /^https?:\/\/\S+[?&]sig=\S+$/,
            "https://sdsstorage.blob.core.windows.net/86904b1e?sv=2023-11-03&sr=c&sp=w&sig=c2ln",
          ),
        }),
      )
      .executeTest(async (server) => {
        expect(await client(server.url).getSynchronizationProfileUploadUrl(exampleId)).toMatch(/[?&]sig=/);
      });
  });

  test("errors lists the sync errors", async () => {
    await pact
      .addInteraction()
      .given(providerStates.syncStatus, { status: "error" })
      .uponReceiving("a request for a profile's sync errors")
      .withRequest("GET", profilePath("/errors"), (builder) => builder.headers(bearer))
      .willRespondWith(200, (builder) =>
        builder.headers(json).jsonBody({
          // Every property of a sync error is optional in the spec; the consumer relies on the list.
          value: eachLike({}),
        }),
      )
      .executeTest(async (server) => {
        const page = await client(server.url).listSynchronizationErrors(exampleId);
        expect(page.value.length).toBeGreaterThan(0);
      });
  });

  test("delete answers 202 without a body", async () => {
    await pact
      .addInteraction()
      .given(providerStates.provisioned, { state: "provisioned" })
      .uponReceiving("a request to delete a profile")
      .withRequest("DELETE", profilePath(), (builder) => builder.headers(bearer))
      .willRespondWith(202)
      .executeTest(async (server) => {
        await expect(client(server.url).deleteSynchronizationProfile(exampleId)).resolves.toBeUndefined();
      });
  });

  test("a request without a token answers 401", async () => {
    await pact
      .addInteraction()
      .given(providerStates.noProfiles)
      .uponReceiving("a request for profiles without a bearer token")
      .withRequest("GET", profiles)
      .willRespondWith(401, (builder) => builder.headers(json).jsonBody(graphError("InvalidAuthenticationToken")))
      .executeTest(async (server) => {
        const response = await fetch(`${server.url}${profiles}`);
        const error = await GraphError.fromResponse(response);
        expect([error.status, error.code]).toEqual([401, "InvalidAuthenticationToken"]);
      });
  });

  test("a throttled request answers 429 with Retry-After", async () => {
    await pact
      .addInteraction()
      .given(providerStates.throttling)
      .uponReceiving("a request while throttled")
      .withRequest("GET", profiles, (builder) => builder.headers(bearer))
      .willRespondWith(429, (builder) =>
        builder
          .headers({ ...json, "retry-after": regex(/^\d+(\.\d+)?$/, "2") })
          .jsonBody(graphError("TooManyRequests")),
      )
      .executeTest(async (server) => {
        await expect(client(server.url).listSynchronizationProfiles()).rejects.toMatchObject({
          status: 429,
          code: "TooManyRequests",
          retryAfter: 2,
        });
      });
  });
});
