import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { operations as routeTable } from "../../generated/route-table.js";
import { BlobStoreUnavailableError, noUploads, type UploadStore } from "../../mocks/simulator/blob-uploads.js";
import { createClock } from "../../mocks/simulator/clock.js";
import { profileMachine, syncMachine } from "../../mocks/simulator/lifecycle.js";
import { startSimulator } from "../../mocks/simulator/start-simulator.js";
import { defaultStoreLimits, MemoryStore, type SimulatorStore } from "../../mocks/simulator/store.js";
import { openStore } from "../../mocks/simulator/stores/open-store.js";
import { StoreUnavailableError } from "../../mocks/simulator/stores/sql-database.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { createSynchronizationProfilesClient } from "../../src/client/synchronization-profiles-client.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { ruleSourcePattern } from "../../src/csv/roster-files.js";
import { quarantineErrorLimit, syncRoster } from "../../src/csv/sync-roster.js";
import { verificationRules, verifyRoster } from "../../src/csv/verify-roster.js";
import { graphErrorCatalogue } from "../../src/graph/graph-error-catalogue.js";
import { isRunningSyncStatus } from "../../src/lifecycle/vocabulary.js";
import { packageRoot } from "../../src/package-root.js";
import { checkPact } from "../../src/pact/check-pact.js";
import { readPact } from "../../src/pact/pact-file.js";
import { matchRoute } from "../../src/spec/match-route.js";
import { acceptedSpellings, odataTypeProperties } from "../../src/spec/odata-types.js";
import { parseSource } from "../../src/spec/provenance.js";
import { specAssertions } from "../../src/spec/spec-assertions.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { expectGraphError } from "../support/graph-error.js";
import { rawConnection } from "../support/raw-http.js";
import {
  readCaptured,
  referenceAvailable,
  referenceDir,
  referenceJsonBlocks,
  samplesAvailable,
  samplesDir,
  seedCreatePage,
} from "../support/reference.js";
import { validRequest } from "../support/requests.js";
import { readWrite } from "../support/sim-client.js";
import {
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
  timing,
} from "../support/simulator-harness.js";
import { exampleFileNames, readExample } from "../support/spec-source.js";

// Each test here holds one entry of spec/decisions.md; the last tests keep the two in step.
const validators = specValidators();
const document = validators.document;
const operations = listOperations(document);
const byId = (operationId: string) => {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  return op;
};
const schemaRef = (operationId: string, status: string) =>
  byId(operationId).responses[status]?.content?.["application/json"]?.schema;
const ledger = readFileSync(join(packageRoot, "spec", "decisions.md"), "utf8");
const ledgerEntries = [...ledger.matchAll(/^## ([a-z0-9-]+)$/gm)].map((m) => m[1] ?? "");

// biome-ignore lint/suspicious/noExplicitAny: the tests read fields of bodies the spec has already validated
type Json = any;
const example = (name: string) => structuredClone(readExample(name).value) as Json;
const createBody = () => example("createSynchronizationProfile.request");
const optIn = { prefer: "include-unknown-enum-members" };
const ids = {
  "request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
  "client-request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
};
const envelope = (code: string) => ({ error: { code, message: "m", innerError: { date: "2026-11-27T09:14:05" } } });
const secret = "s3cr3t-value";

describe("decisions", () => {
  // ------------------------------------------------------------------ method

  test("provenance: every assertion of the spec, the error catalogue and the lifecycle table names a source", () => {
    const assertions = specAssertions(document);
    expect(assertions.length).toBeGreaterThan(400);
    const unsourced = assertions.filter((a) => a.source === undefined || parseSource(a.source) === undefined);
    expect(unsourced.map((a) => `${a.pointer} ${a.what}: ${a.source}`)).toEqual([]);
    const notOwn = assertions.filter(
      (a) => !a.own && /^(operation|parameter|header|response|schema|property|status|example)/.test(a.what),
    );
    expect(notOwn.map((a) => `${a.pointer} ${a.what}`)).toEqual([]);
    for (const [name, entry] of Object.entries(graphErrorCatalogue))
      expect(parseSource(entry.source), name).toBeDefined();
    for (const table of [profileMachine, syncMachine] as Record<string, Record<string, { source: string }>>[])
      for (const [from, events] of Object.entries(table))
        for (const [event, transition] of Object.entries(events))
          expect(parseSource(transition.source), `${from} ${event}`).toBeDefined();
    // Every kit source names an entry of the ledger, wherever it is written.
    const kitSources = [
      ...assertions.map((a) => a.source ?? ""),
      ...Object.values(graphErrorCatalogue).map((e) => e.source),
      ...[profileMachine, syncMachine].flatMap((table) =>
        Object.values(table as Record<string, Record<string, { source: string }>>).flatMap((events) =>
          Object.values(events).map((t) => t.source),
        ),
      ),
    ];
    const decisions = new Set(kitSources.map((s) => parseSource(s)?.decision).filter((d) => d !== undefined));
    expect([...decisions].filter((d) => !ledgerEntries.includes(d))).toEqual([]);
    expect(decisions.size).toBeGreaterThan(15);
  });

  test("conformance-levels: a 400 where the kit answers 409 passes at documented and fails at kit, naming the decision", () => {
    const badRequest = { status: 400, headers: ids, body: envelope("invalidRequest") };
    for (const operationId of [
      "pauseSynchronizationProfile",
      "deleteSynchronizationProfile",
      "startSynchronizationProfile",
    ]) {
      expect(
        validators.validateResponse(operationId, badRequest, { expectedStatus: 409, level: "documented" }),
      ).toEqual([]);
      expect(
        validators.validateResponse(
          operationId,
          { ...badRequest, status: 500 },
          { expectedStatus: 409, level: "documented" },
        ),
      ).toEqual([]);
      expect(validators.validateResponse(operationId, badRequest, { expectedStatus: 409 })).toMatchObject([
        { rule: "status", source: "kit decisions.md#state-conflict" },
      ]);
    }
    // What Microsoft documented is held at both levels: uploadUrl's 409 is on its page.
    expect(
      validators.validateResponse("getSynchronizationProfileUploadUrl", badRequest, {
        expectedStatus: 409,
        level: "documented",
      }),
    ).toMatchObject([{ rule: "status", source: "documented §1 #11 [MGD]" }]);
    // A body that is not Graph's envelope is never tolerated.
    expect(
      validators.validateResponse(
        "pauseSynchronizationProfile",
        { status: 400, headers: ids, body: { message: "no" } },
        { expectedStatus: 409, level: "documented" },
      ),
    ).toMatchObject([{ rule: "status" }]);
  });

  test("examples: every example is labelled and names its source, a captured one the service's word", () => {
    const names = exampleFileNames().map((file) => file.replace(/\.json$/, ""));
    expect(names.length).toBeGreaterThan(50);
    const labels = new Set<string>();
    for (const name of names) {
      const file = readExample(name) as { "x-sds-example"?: string; "x-sds-source"?: string };
      expect(["verbatim", "rebuilt", "captured", "illustrative"], name).toContain(file["x-sds-example"]);
      const source = parseSource(file["x-sds-source"] ?? "");
      expect(source, name).toBeDefined();
      labels.add(file["x-sds-example"] ?? "");
      if (file["x-sds-example"] === "captured") expect(source?.kind, `${name} is an observation`).toBe("observed");
      if (file["x-sds-example"] === "illustrative") expect(source?.kind, `${name} is the kit's own`).toBe("kit");
    }
    expect([...labels].sort()).toEqual(["captured", "illustrative", "rebuilt", "verbatim"]);
  });

  test.skipIf(!referenceAvailable || !samplesAvailable)(
    "examples: every example is labelled and every verbatim one is in the reference",
    () => {
      const reference = [
        ...["3.1 Create", "3.2 Get status", "3.4 Start", "3.5 Upload URL", "3.6 Errors"].flatMap(referenceJsonBlocks),
        seedCreatePage().request,
        seedCreatePage().response,
        ...referenceInlineJson(),
      ].map((value) => JSON.stringify(value));
      const captures = readdirSync(join(samplesDir, "graph-payloads"))
        .filter((file) => file.endsWith(".json"))
        .map((file) => JSON.stringify(JSON.parse(readFileSync(join(samplesDir, "graph-payloads", file), "utf8"))));
      const names = exampleFileNames().map((file) => file.replace(/\.json$/, ""));
      expect(names.length).toBeGreaterThan(50);
      const labels = new Map<string, number>();
      for (const name of names) {
        const file = readExample(name) as { value: unknown; "x-sds-example"?: string; "x-sds-source"?: string };
        expect(["verbatim", "rebuilt", "captured", "illustrative"], name).toContain(file["x-sds-example"]);
        expect(parseSource(file["x-sds-source"] ?? ""), name).toBeDefined();
        labels.set(file["x-sds-example"] ?? "", (labels.get(file["x-sds-example"] ?? "") ?? 0) + 1);
        if (file["x-sds-example"] === "verbatim") expect(reference, name).toContain(JSON.stringify(file.value));
        if (file["x-sds-example"] === "captured") {
          expect(captures, name).toContain(JSON.stringify(file.value));
          expect(parseSource(file["x-sds-source"] ?? "")?.kind, `${name} is an observation`).toBe("observed");
        }
        if (file["x-sds-example"] === "illustrative")
          expect(parseSource(file["x-sds-source"] ?? "")?.kind, `${name} is the kit's own`).toBe("kit");
      }
      expect([...labels.keys()].sort()).toEqual(["captured", "illustrative", "rebuilt", "verbatim"]);
    },
  );

  test("open-responses: extra properties, annotations and expanded navigation properties validate; declaredOnly refuses them", () => {
    const profile = example("getSynchronizationProfile.200");
    const errors = example("listSynchronizationErrors.200").value;
    const status = example("getSynchronizationProfileStatus.200");
    const open = {
      ...profile,
      "@odata.etag": 'W/"1"',
      addedByGraphLater: { nested: true },
      errors,
      profileStatus: status,
    };
    for (const level of ["documented", "kit"] as const)
      expect(validators.validateResponseBody("getSynchronizationProfile", 200, open, { level }), level).toEqual([]);
    expect(
      validators
        .validateResponseBody("getSynchronizationProfile", 200, open, { declaredOnly: true })
        .map((v) => v.path),
    ).toEqual(["/@odata.etag", "/addedByGraphLater"]);
    const expanded = { ...profile, errors, profileStatus: status };
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, expanded, { declaredOnly: true })).toEqual(
      [],
    );
  });

  test("closed-requests: a property the type does not have is refused, nested too", () => {
    const body = createBody();
    body.dataProvider.customizations.student.optionalPropertiesToSyncc = ["State ID"];
    body.Customizations = {};
    expect(validators.validateRequestBody("createSynchronizationProfile", body)).toMatchObject([
      { path: "/Customizations", rule: "additionalProperties", source: "kit decisions.md#closed-requests" },
      {
        path: "/dataProvider/customizations/student/optionalPropertiesToSyncc",
        rule: "additionalProperties",
        source: "kit decisions.md#closed-requests",
      },
    ]);
    expect(validators.validateRequestBody("createSynchronizationProfile", body, { level: "documented" })).toEqual([]);
  });

  test("nullability: state and status may be null or absent; errorCount and statusMessage may not be null", () => {
    const profile = example("getSynchronizationProfile.200");
    for (const state of [null, undefined]) {
      expect(
        validators.validateResponseBody("getSynchronizationProfile", 200, { ...profile, state }),
        String(state),
      ).toEqual([]);
    }
    const status = example("getSynchronizationProfileStatus.200");
    for (const value of [null, undefined])
      expect(
        validators.validateResponseBody("getSynchronizationProfileStatus", 200, { ...status, status: value }),
      ).toEqual([]);
    for (const property of ["errorCount", "statusMessage"]) {
      expect(
        validators.validateResponseBody("getSynchronizationProfileStatus", 200, { ...status, [property]: null }),
        property,
      ).toMatchObject([{ path: `/${property}`, rule: "type" }]);
    }
    // What the metadata makes non-nullable is required on a create.
    const body = createBody();
    delete body.identitySynchronizationConfiguration;
    expect(validators.validateRequestBody("createSynchronizationProfile", body)).toMatchObject([
      { path: "/identitySynchronizationConfiguration", rule: "required" },
    ]);
  });

  // ------------------------------------------------------------------ contradictions and slips, reference §5

  test("create-status: 201 and 202 are both declared, with the same body", () => {
    const successes = Object.keys(byId("createSynchronizationProfile").responses).filter((s) => s.startsWith("2"));
    expect(successes.sort()).toEqual(["201", "202"]);
    expect(schemaRef("createSynchronizationProfile", "201")).toEqual(schemaRef("createSynchronizationProfile", "202"));
    expect(byId("createSynchronizationProfile").servedStatus).toBe("202");
  });

  test("upload-url-status: 200 and 201 are both declared", () => {
    const op = byId("getSynchronizationProfileUploadUrl");
    expect(Object.keys(op.responses).filter((s) => s.startsWith("2"))).toEqual(["200", "201"]);
    expect(schemaRef(op.operationId, "201")).toEqual(schemaRef(op.operationId, "200"));
  });

  test("delete-body: delete answers 202 without a body", () => {
    const op = byId("deleteSynchronizationProfile");
    expect(Object.keys(op.responses).filter((s) => s.startsWith("2"))).toEqual(["202"]);
    expect(op.responses["202"]?.content).toBeUndefined();
    expect(
      validators.validateResponse("deleteSynchronizationProfile", { status: 202, headers: ids, body: {} }),
    ).toMatchObject([{ rule: "noBody" }]);
  });

  test("update-verb: PUT on the collection needs the id; PATCH on the item answers 204", () => {
    const put = byId("replaceSynchronizationProfile");
    const patch = byId("updateSynchronizationProfile");
    expect([put.method, put.path]).toEqual(["put", "/education/synchronizationProfiles"]);
    expect([patch.method, patch.path]).toEqual(["patch", "/education/synchronizationProfiles/{id}"]);
    expect(Object.keys(patch.responses).filter((s) => s.startsWith("2"))).toEqual(["204"]);
    expect(validators.statusSource("updateSynchronizationProfile", 204)).toBe("kit decisions.md#update-verb");

    const roundTrip = example("getSynchronizationProfile.200");
    expect(validators.validateRequestBody("replaceSynchronizationProfile", roundTrip)).toEqual([]);
    delete roundTrip.id;
    expect(validators.validateRequestBody("replaceSynchronizationProfile", roundTrip)).toMatchObject([
      { path: "/id", rule: "required" },
    ]);
    expect(validators.validateRequestBody("updateSynchronizationProfile", { state: "provisioned" })).toMatchObject([
      { path: "/state", rule: "readOnly" },
    ]);
    expect(matchRoute("PUT", `${profiles}/86904b1e-c7d0-4ead-b13a-98f11fc400ee`).kind).toBe("methodNotAllowed");
  });

  test("conformance-levels: the namespace the service refused passes at documented and fails from observed up", () => {
    const body = example("createSynchronizationProfile.request.gen-b-2019");
    expect(validators.validateRequestBody("createSynchronizationProfile", body, { level: "documented" })).toEqual([]);
    for (const level of ["observed", "kit"] as const)
      expect(validators.validateRequestBody("createSynchronizationProfile", body, { level }), level).toMatchObject([
        { rule: "refusedOdataType", source: "observed decisions.md#odata-namespace" },
        { rule: "refusedOdataType", source: "observed decisions.md#odata-namespace" },
      ]);
  });

  test("guaranteed-fields: a contract that reads state from create and status from the status read passes --strict", () => {
    const interaction = (description: string, method: string, path: string, status: number, body: unknown) => ({
      description,
      request: {
        method,
        path,
        headers: { authorization: "Bearer x", "content-type": "application/json" },
        ...(method === "POST" ? { body: createBody() } : {}),
      },
      response: { status, headers: { "content-type": "application/json" }, body },
    });
    const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
    const pact = (interactions: ReturnType<typeof interaction>[]) =>
      readPact(
        JSON.stringify({
          consumer: { name: "c" },
          provider: { name: "p" },
          interactions,
          metadata: { pactSpecification: { version: "3.0.0" } },
        }),
        "guaranteed.json",
      );
    const promised = [
      interaction("create", "POST", profiles, 202, { id, state: "provisioning" }),
      interaction("get", "GET", `${profiles}/${id}`, 200, { id, state: "provisioned" }),
      interaction("list", "GET", profiles, 200, { value: [{ id, state: "provisioned" }] }),
      interaction("status", "GET", `${profiles}/${id}/profileStatus`, 200, { status: "inProgress" }),
    ];
    expect(checkPact(pact(promised))).toEqual([]);
    // What no page promises still warns: a status read's statusMessage.
    const unpromised = interaction("message", "GET", `${profiles}/${id}/profileStatus`, 200, {
      statusMessage: "Processed 0",
    });
    expect(checkPact(pact([...promised, unpromised]))).toMatchObject([
      { severity: "warning", rule: "reliesOnUnguaranteedField" },
    ]);
    // And a server that leaves a guaranteed field out breaks the rule, at every level.
    for (const level of ["documented", "observed", "kit"] as const)
      expect(
        validators.validateResponse(
          "getSynchronizationProfileStatus",
          { status: 200, headers: ids, body: { id, status: null } },
          { level },
        ),
        level,
      ).toMatchObject([{ rule: "guaranteed", path: "/status", source: expect.stringMatching(/^documented §3\.2/) }]);
  });

  test("path-prefix: every path is under /education/synchronizationProfiles", () => {
    for (const op of operations) expect(op.path).toMatch(/^\/education\/synchronizationProfiles(\/|$)/);
    expect(document.servers?.map((s) => s.url)).toEqual([
      "https://graph.microsoft.com/beta",
      "https://graph.microsoft.com/testEduApi",
    ]);
  });

  test("path-prefix: the pre-release /status and the slip /error are not served", () => {
    const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
    for (const [path, segment] of [
      [`${profiles}/${id}/Status`, "Status"],
      [`${profiles}/${id}/error`, "error"],
      [`/testsds/synchronizationProfiles/${id}`, "testsds"],
    ] as const)
      expect(matchRoute("GET", path), path).toMatchObject({ kind: "notFound", segment });
    expect(matchRoute("GET", `${profiles}/${id}/profileStatus`).kind).toBe("operation");
  });

  const spellings: [string, string][] = [
    ["dataProvider", "#microsoft.graph.csvDataProvider"],
    ["dataProvider", "#microsoft.graph.educationcsvdataprovider"],
    ["dataProvider", "#microsoft.graph.educationCsvDataProvider"],
    ["dataProvider", "microsoft.graph.educationCsvDataProvider"],
    ["dataProvider", "microsoft.graph.educationcsvdataprovider"],
    ["dataProvider", "#MICROSOFT.GRAPH.EDUCATIONCSVDATAPROVIDER"],
    ["identitySynchronizationConfiguration", "#microsoft.graph.identityCreationConfiguration"],
    ["identitySynchronizationConfiguration", "#microsoft.graph.educationidentitycreationconfiguration"],
    ["identitySynchronizationConfiguration", "#microsoft.graph.educationIdentityCreationConfiguration"],
    ["identitySynchronizationConfiguration", "Microsoft.Graph.EducationIdentityCreationConfiguration"],
  ];
  test("odata-type-spellings: every published spelling is accepted, in any letter case", async () => {
    // Every published spelling but the namespace the service refused (decisions.md#odata-namespace).
    const published = odataTypeProperties(document).flatMap(({ spellings }) => acceptedSpellings(spellings));
    for (const [, spelling] of spellings.filter(([, s]) => s !== s.toUpperCase()))
      if (!/^Microsoft\.Graph\./.test(spelling))
        expect(
          published.map((p) => p.toLowerCase()),
          spelling,
        ).toContain(spelling.toLowerCase());
    const { call, sim } = inProcessSimulator();
    for (const [property, spelling] of spellings) {
      const body = createBody();
      body[property]["@odata.type"] = spelling;
      expect(validators.validateRequestBody("createSynchronizationProfile", body), spelling).toEqual([]);
      const created = await call("POST", profiles, { body });
      expect(created.status, spelling).toBe(202);
      sim.clock.advance(timing.provisioningMs);
      const read = await call("GET", `${profiles}/${created.body.id}`);
      const canonical =
        property === "dataProvider"
          ? "#microsoft.graph.educationCsvDataProvider"
          : "#microsoft.graph.educationIdentityCreationConfiguration";
      expect(created.body[property]["@odata.type"], spelling).toBe(canonical);
      expect(read.body[property]["@odata.type"], spelling).toBe(canonical);
    }
    const oneRoster = example("createSynchronizationProfile.request.one-roster");
    oneRoster.dataProvider["@odata.type"] = "microsoft.graph.educationoneRosterApiDataProvider";
    expect(validators.validateRequestBody("createSynchronizationProfile", oneRoster)).toEqual([]);
  });

  test.skipIf(!samplesAvailable)(
    "odata-namespace: the kit's answer begins with every byte #17889 captured",
    async () => {
      const { call } = inProcessSimulator();
      const answer = await call("POST", profiles, { body: example("createSynchronizationProfile.request.gen-b-2019") });
      // The capture is cut after "educationCs".
      const capture = JSON.parse(
        readFileSync(
          join(samplesDir, "graph-payloads", "live-2022-07-28.create.400.BadRequest.InvalidODataType.FRAGMENT.json"),
          "utf8",
        ),
      ) as { verbatimFragment: string };
      expect(capture.verbatimFragment.length).toBeGreaterThan(40);
      expect(JSON.stringify(answer.body).startsWith(capture.verbatimFragment)).toBe(true);
    },
  );

  test("odata-namespace: the page's 2019-2022 create body is refused as the service refused it (#17889)", async () => {
    const { call } = inProcessSimulator();
    const body = example("createSynchronizationProfile.request.gen-b-2019");
    const answer = await call("POST", profiles, { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(
      'Invalid OData type specified: "Microsoft.Education.DataSync.educationCsvDataProvider"',
    );
    expect(answer.body.error.details.map((d: { target: string }) => d.target)).toEqual([
      "body/dataProvider/@odata.type",
      "body/identitySynchronizationConfiguration/@odata.type",
    ]);
    // The reporter's fix, the graph namespace, is taken.
    body.dataProvider["@odata.type"] = "#microsoft.graph.educationCsvDataProvider";
    body.identitySynchronizationConfiguration["@odata.type"] =
      "#microsoft.graph.educationIdentityCreationConfiguration";
    expect((await call("POST", profiles, { body })).status).toBe(202);
  });

  test("odata-type-spellings: the abstract identity type is rejected with one violation", () => {
    const body = createBody();
    body.identitySynchronizationConfiguration["@odata.type"] =
      "microsoft.graph.educationIdentitySynchronizationConfiguration";
    expect(validators.validateRequestBody("createSynchronizationProfile", body)).toMatchObject([
      { path: "/identitySynchronizationConfiguration/@odata.type", rule: "odataType" },
    ]);
  });

  test("profile-resource-json: errors hold errors, state is a string, the property name is camel case", () => {
    const profile = example("getSynchronizationProfile.200");
    const errors = example("listSynchronizationErrors.200").value;
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, { ...profile, errors })).toEqual([]);
    const properties = (document.components.schemas.EducationSynchronizationProfile as Json).properties;
    expect(properties.errors.items.$ref).toBe("#/components/schemas/EducationSynchronizationError");
    expect(properties.profileStatus.$ref).toBe("#/components/schemas/EducationSynchronizationProfileStatus");
    expect(
      validators.validateResponseBody("getSynchronizationProfile", 200, {
        ...profile,
        state: { value: "provisioned" },
      }),
    ).toMatchObject([{ path: "/state" }]);
    const body = createBody();
    body.identitysynchronizationconfiguration = body.identitySynchronizationConfiguration;
    delete body.identitySynchronizationConfiguration;
    expect(
      validators
        .validateRequestBody("createSynchronizationProfile", body)
        .map((v) => `${v.rule} ${v.path}`)
        .sort(),
    ).toEqual([
      "additionalProperties /identitysynchronizationconfiguration",
      "required /identitySynchronizationConfiguration",
    ]);
  });

  test("gen-a-resource-json: the 2017 resource page's properties are refused on requests and tolerated on responses", () => {
    const genA = { lastSynchronizationTime: "2017-07-04T22:06:37Z", syncStatus: "inProgress", errorStatus: "none" };
    const body = { ...createBody(), ...genA };
    expect(validators.validateRequestBody("createSynchronizationProfile", body).map((v) => v.path)).toEqual([
      "/lastSynchronizationTime",
      "/syncStatus",
      "/errorStatus",
    ]);
    const profile = { ...example("getSynchronizationProfile.200"), ...genA };
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, profile)).toEqual([]);
    expect(
      validators.validateResponseBody("getSynchronizationProfile", 200, profile, { declaredOnly: true }),
    ).toHaveLength(3);
  });

  test("gen-a-list-example: the list example is labelled rebuilt and validates", () => {
    const file = readExample("listSynchronizationProfiles.200.rebuilt-2021") as unknown as {
      value: unknown;
      "x-sds-example": string;
    };
    expect(file["x-sds-example"]).toBe("rebuilt");
    expect(validators.validateResponseBody("listSynchronizationProfiles", 200, file.value)).toEqual([]);
    const value = (file.value as { value: { id: string; state: string }[] }).value;
    expect(value.map((p) => [p.id, p.state])).toEqual([["15e9b9fa-de85-492e-aa44-550c40de626e", "provisioned"]]);
  });

  test("enum-casing: a capitalised state is rejected", () => {
    const profile = example("getSynchronizationProfile.200");
    profile.state = "Provisioned";
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, profile)).toMatchObject([
      { path: "/state", rule: "enum" },
    ]);
  });

  test("applies-to-casing: capitalised Student is rejected, and so is unknownFutureValue on a request", () => {
    const at = "/identitySynchronizationConfiguration/userDomains/0/appliesTo";
    for (const [value, source] of [
      ["Student", "csdl §2.6 [CSDL]"],
      ["unknownFutureValue", "kit decisions.md#evolvable-members"],
    ]) {
      const body = createBody();
      body.identitySynchronizationConfiguration.userDomains[0].appliesTo = value;
      const violations = validators.validateRequestBody("createSynchronizationProfile", body);
      expect(violations, value).toMatchObject([{ path: at, rule: "enum", source }]);
      expect(violations[0]?.expected).toEqual(["student", "teacher", "none", "faculty"]);
    }
    const profile = example("getSynchronizationProfile.200");
    profile.identitySynchronizationConfiguration.userDomains[0].appliesTo = "unknownFutureValue";
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, profile)).toEqual([]);
  });

  test("verification-message: any type string is accepted; the kit's servers send the known ones", async () => {
    for (const type of ["Error", "error", "Warning", "information", "Fatal", null]) {
      expect(
        validators.validateResponseBody("startSynchronizationProfile", 200, { value: [{ type, fileName: "a.csv" }] }),
        String(type),
      ).toEqual([]);
    }
    const known = (document.components.schemas.EducationFileSynchronizationVerificationMessage as Json).properties.type[
      "x-sds-known-values"
    ] as string[];
    expect(known).toEqual(["Error", "Warning", "Information", "error", "warning", "information"]);
    const { call, sim } = inProcessSimulator();
    const sent: string[] = [];
    for (const scenario of ["verification-warnings", "verification-errors"]) {
      const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": scenario });
      const started = await call("POST", `${profiles}/${id}/start`);
      sent.push(...started.body.value.map((m: { type: string }) => m.type));
    }
    expect(new Set(sent)).toEqual(new Set(["Error", "Warning"]));
  });

  test("error-count-type: errorCount is an integer, never a string or null", () => {
    const status = example("getSynchronizationProfileStatus.200");
    for (const good of [9007199254740991, 0]) {
      expect(
        validators.validateResponseBody("getSynchronizationProfileStatus", 200, { ...status, errorCount: good }),
      ).toEqual([]);
    }
    for (const bad of ["14", 1.5, null]) {
      expect(
        validators.validateResponseBody("getSynchronizationProfileStatus", 200, { ...status, errorCount: bad }),
        String(bad),
      ).toMatchObject([{ path: "/errorCount", rule: "type" }]);
    }
  });

  test("running-sync-sentinel: a running sync reads the year-1 date, as the help-desk tool expected", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    expect((await call("POST", `${profiles}/${id}/start`)).status).toBe(200);
    const read = async () =>
      (
        await call("GET", `/beta${profiles}/${id}/profileStatus?$select=lastSynchronizationDateTime,status`, {
          headers: optIn,
        })
      ).body;
    const running = await read();
    expect(running.lastSynchronizationDateTime).toBe("0001-01-01T00:00:00Z");
    // The tool's branch: a value containing 0001-01-01 means "syncing right now".
    expect(String(running.lastSynchronizationDateTime).includes("0001-01-01")).toBe(true);
    for (let step = 0; step < 10 && isRunningSyncStatus((await read()).status); step += 1)
      sim.clock.advance(timing.syncPhaseMs);
    const done = await read();
    expect(done.status).toBe("success");
    expect(done.lastSynchronizationDateTime).not.toContain("0001-01-01");
    expect(Date.parse(done.lastSynchronizationDateTime)).toBeGreaterThan(Date.parse("2020-01-01"));
  });

  test("last-synchronization-date-time: a failed sync moves lastActivityDateTime only", async () => {
    const { call, sim } = inProcessSimulator();
    const statusAfterSync = async (scenario: string) => {
      const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": scenario });
      await call("POST", `${profiles}/${id}/start`);
      const startedAt = sim.clock.now();
      sim.clock.advance(timing.syncPhaseMs * 3);
      const status = (await call("GET", `${profiles}/${id}/profileStatus`)).body;
      return { status, startedAt };
    };
    const failed = await statusAfterSync("sync-error:3");
    expect(failed.status.status).toBe("error");
    expect(failed.status.lastSynchronizationDateTime).toBeNull();
    expect(Date.parse(failed.status.lastActivityDateTime)).toBeGreaterThan(failed.startedAt);
    const succeeded = await statusAfterSync("verification-warnings");
    expect(succeeded.status.status).toBe("success");
    expect(Date.parse(succeeded.status.lastSynchronizationDateTime)).toBeGreaterThan(succeeded.startedAt);
  });

  test("synchronization-start-date: the year-1 default is a valid date-time", () => {
    const customization = { synchronizationStartDate: "0001-01-01T00:00:00Z", isSyncDeferred: false };
    expect(validators.validateSchema("EducationSynchronizationCustomization", customization)).toEqual([]);
    expect(
      validators.validateSchema("EducationSynchronizationCustomization", { synchronizationStartDate: "0001-01-01" }),
    ).toMatchObject([{ rule: "format" }]);
  });

  test("gen-a-property-tables: isSyncDeferred, reportableIdentifier and id are declared", () => {
    const properties = (name: string) => Object.keys((document.components.schemas[name] as Json).properties);
    expect(properties("EducationSynchronizationCustomization")).toContain("isSyncDeferred");
    expect(properties("EducationSynchronizationError")).toEqual(expect.arrayContaining(["id", "reportableIdentifier"]));
    expect(properties("EducationSynchronizationProfileStatus")).toContain("id");
  });

  test("permissions: uploadUrl accepts the application permission; create accepts none", () => {
    expect(byId("getSynchronizationProfileUploadUrl").permissions.application).toContain(
      "EduAdministration.ReadWrite.All",
    );
    for (const id of [
      "createSynchronizationProfile",
      "replaceSynchronizationProfile",
      "updateSynchronizationProfile",
      "deleteSynchronizationProfile",
    ]) {
      expect(byId(id).permissions).toEqual({ delegated: ["EduAdministration.ReadWrite"], application: [] });
    }
  });

  test("gen-a-page-slips: a OneRoster provider does not take PowerSchool's properties", () => {
    const body = example("createSynchronizationProfile.request.one-roster");
    body.dataProvider.schoolYear = "2026";
    body.dataProvider.clientId = "sds";
    expect(
      validators.validateRequestBody("createSynchronizationProfile", body).map((v) => `${v.rule} ${v.path}`),
    ).toEqual(["additionalProperties /dataProvider/schoolYear", "additionalProperties /dataProvider/clientId"]);
    const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
    const routed = (method: string, path: string) => {
      const match = matchRoute(method, `${profiles}/${id}${path}`);
      return match.kind === "operation" ? match.operation.operationId : match.kind;
    };
    expect([routed("POST", "/pause"), routed("POST", "/reset"), routed("GET", "")]).toEqual([
      "pauseSynchronizationProfile",
      "resetSynchronizationProfile",
      "getSynchronizationProfile",
    ]);
  });

  test("deprecation-date: the spec records 2024-12-31 and the conflicting date", () => {
    expect(document.info["x-sds-deprecation"]).toEqual({
      stopsReturningData: "2024-12-31",
      source: "documented §0 [LEARN][SDK]",
      conflicting: { "2024-07-01": "documented §5 #20 [CONTRIB]" },
    });
  });

  test.skipIf(!referenceAvailable)("deprecation-date: both dates are the reference's", () => {
    const reference = readFileSync(join(referenceDir, "graph-sds-api.md"), "utf8");
    expect(reference).toContain("**31 Dec 2024**");
    expect(reference).toContain("**1 Jul 2024**");
  });

  test("status-enum-name: the spec uses the metadata's names", () => {
    const names = Object.keys(document.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining(["EducationSynchronizationStatus", "EducationSynchronizationProfileStatus"]),
    );
    for (const old of ["SynchronizationStatus", "Status", "SynchronizationProfileStatus"])
      expect(names).not.toContain(old);
    const status = document.components.schemas.EducationSynchronizationProfileStatus as Json;
    expect(status.properties.status.oneOf[0].$ref).toBe("#/components/schemas/EducationSynchronizationStatus");
  });

  test("gen-a-next-link: the 2017 sample is kept; the kit's next links can be followed", async () => {
    const sample = example("listSynchronizationErrors.200.gen-a-troubleshooting");
    expect(sample["@odata.count"]).toBe(220);
    expect(sample["@odata.nextLink"]).toContain("$metadata#");
    expect(validators.validateResponseBody("listSynchronizationErrors", 200, sample)).toEqual([]);

    const token = createTestToken({ scopes: ["EduAdministration.Read"] });
    const once = (body: unknown) => async () => Response.json(body);
    const client = createSynchronizationProfilesClient({
      baseUrl: "https://graph.microsoft.com/testEduApi",
      token,
      fetch: once(sample),
    });
    const read = async () => {
      for await (const _ of client.listAllSynchronizationErrors("86904b1e-c7d0-4ead-b13a-98f11fc400ee")) {
        // reading every page
      }
    };
    await expect(read()).rejects.toThrow(/cannot follow @odata.nextLink .*\$metadata.*decisions.md#gen-a-next-link/);

    const { call, sim } = inProcessSimulator();
    await createProvisioned(call, sim);
    await createProvisioned(call, sim);
    const page = await call("GET", `${profiles}?$top=1`);
    const next = new URL(page.body["@odata.nextLink"]);
    expect(next.pathname).toBe(profiles);
    expect(next.searchParams.get("$skiptoken")).toBe("1");
    expect((await call("GET", `${next.pathname}${next.search}`)).body.value).toHaveLength(1);
  });

  test("optional-properties: any column name is accepted", () => {
    const customization = {
      optionalPropertiesToSync: ["Middle Name", "Email", "GradeLow", "Grade Low", "Some Future Column"],
    };
    expect(validators.validateSchema("EducationSynchronizationCustomization", customization)).toEqual([]);
  });

  // ------------------------------------------------------------------ where the documentation is silent

  test("start-status: 400 carries verification messages or a Graph error", () => {
    const messages = example("startSynchronizationProfile.400.verification-errors");
    const error = example("graphError.400");
    expect(validators.validateResponseBody("startSynchronizationProfile", 400, messages)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 400, error)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 200, messages)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 200, { value: [] })).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 400, { value: "six errors" })).not.toEqual(
      [],
    );
    // A clean start without a body: the kit's choice is held at its own level only.
    const bodiless = { status: 200, headers: ids };
    expect(validators.validateResponse("startSynchronizationProfile", bodiless, { level: "documented" })).toEqual([]);
    expect(validators.validateResponse("startSynchronizationProfile", bodiless)).toMatchObject([
      { location: "body", rule: "required", source: "kit decisions.md#start-status" },
    ]);
  });

  test("csv-only: start and uploadUrl on an API-provider profile answer 400 BadRequest", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim, example("createSynchronizationProfile.request.power-school"));
    for (const [method, path] of [
      ["POST", "start"],
      ["GET", "uploadUrl"],
    ] as const) {
      const answer = await call(method, `${profiles}/${id}/${path}`);
      expect([answer.status, answer.body.error.code], path).toEqual([400, "BadRequest"]);
      expect(answer.body.error.message, path).toMatch(/CSV data provider/);
    }
    expect(graphErrorCatalogue.notSupported.source).toBe("kit decisions.md#csv-only");
  });

  test("state-conflict: every state-dependent operation declares 409, from this entry except uploadUrl's", () => {
    const declaring = operations.filter((op) => Object.hasOwn(op.responses, "409"));
    expect(
      Object.fromEntries(declaring.map((op) => [op.operationId, validators.statusSource(op.operationId, 409)])),
    ).toEqual({
      replaceSynchronizationProfile: "kit decisions.md#state-conflict",
      updateSynchronizationProfile: "kit decisions.md#state-conflict",
      deleteSynchronizationProfile: "kit decisions.md#state-conflict",
      pauseSynchronizationProfile: "kit decisions.md#state-conflict",
      resumeSynchronizationProfile: "kit decisions.md#state-conflict",
      resetSynchronizationProfile: "kit decisions.md#state-conflict",
      startSynchronizationProfile: "kit decisions.md#state-conflict",
      getSynchronizationProfileUploadUrl: "documented §1 #11 [MGD]",
    });
  });

  test("sync-status-before-start: a CSV profile waits in paused; an API profile starts by itself", async () => {
    const { call, sim } = inProcessSimulator();
    const csv = await createProvisioned(call, sim);
    const oneRoster = await createProvisioned(call, sim, example("createSynchronizationProfile.request.one-roster"));
    const status = async (id: string) =>
      (await call("GET", `${profiles}/${id}/profileStatus`, { headers: optIn })).body.status;
    expect(await status(csv)).toBe("paused");
    expect(await status(oneRoster)).toBe("extracting");
    expect((await call("POST", `${profiles}/${csv}/resume`)).body.error.code).toBe("conflict");
  });

  test("idempotent-pause-resume: a repeated pause or resume is a 200 that changes nothing", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    await call("POST", `${profiles}/${id}/start`);
    const statusOf = async () => (await call("GET", `${profiles}/${id}/profileStatus`, { headers: optIn })).body.status;
    expect((await call("POST", `${profiles}/${id}/resume`)).status).toBe(200);
    expect(await statusOf()).toBe("extracting");
    await call("POST", `${profiles}/${id}/pause`);
    expect((await call("POST", `${profiles}/${id}/pause`)).status).toBe(200);
    expect(await statusOf()).toBe("paused");
  });

  test("lifecycle: every transition of the table names its source, and the timed ones are the kit's", () => {
    const kitEvents = new Set<string>();
    const documentedEvents = new Set<string>();
    for (const table of [profileMachine, syncMachine] as Record<string, Record<string, { source: string }>>[])
      for (const events of Object.values(table))
        for (const [event, transition] of Object.entries(events))
          (parseSource(transition.source)?.kind === "kit" ? kitEvents : documentedEvents).add(event);
    // The timed steps no page describes, and the no-op repeats (idempotent-pause-resume).
    expect([...kitEvents].sort()).toEqual(
      [
        "advancePhase",
        "delete",
        "fail",
        "failDeletion",
        "failProvisioning",
        "finishDeletion",
        "pause",
        "quarantine",
        "resume",
        "succeed",
      ].sort(),
    );
    expect([...documentedEvents].sort()).toEqual(
      ["create", "failValidation", "finishProvisioning", "pause", "reset", "resume", "start", "update"].sort(),
    );
  });

  test("evolvable-members: unknownFutureValue stands in unless the client opts in", async () => {
    const { call, sim } = inProcessSimulator();
    const body = createBody();
    body.licensesToAssign[0].appliesTo = "faculty";
    const id = await createProvisioned(call, sim, body);
    await call("POST", `${profiles}/${id}/start`);
    const read = (headers?: Record<string, string>) => call("GET", `${profiles}/${id}`, { headers });
    expect((await read()).body.licensesToAssign[0].appliesTo).toBe("unknownFutureValue");
    expect((await read(optIn)).body.licensesToAssign[0].appliesTo).toBe("faculty");
    const status = await call("GET", `${profiles}/${id}/profileStatus`);
    expect(status.body.status).toBe("unknownFutureValue");
  });

  test("secrets: a clientSecret sent on create or update never comes back", async () => {
    const { call, sim } = inProcessSimulator();
    const answers: unknown[] = [];
    const oneRoster = example("createSynchronizationProfile.request.one-roster");
    oneRoster.dataProvider.connectionSettings.clientSecret = secret;
    const powerSchool = example("createSynchronizationProfile.request.power-school");
    powerSchool.dataProvider.clientSecret = secret;
    for (const body of [oneRoster, powerSchool]) {
      const created = await call("POST", profiles, { body });
      expect(created.status).toBe(202);
      answers.push(created.body);
      sim.clock.advance(timing.provisioningMs);
      const id = created.body.id as string;
      answers.push((await call("GET", `${profiles}/${id}`)).body);
      const replaced = await call("PUT", profiles, { body: { ...body, id, displayName: "Renamed" } });
      expect(replaced.status).toBe(202);
      answers.push(replaced.body);
      sim.clock.advance(timing.provisioningMs);
      expect((await call("PATCH", `${profiles}/${id}`, { body: { dataProvider: body.dataProvider } })).status).toBe(
        204,
      );
      sim.clock.advance(timing.provisioningMs);
      answers.push((await call("GET", `${profiles}/${id}`)).body);
    }
    answers.push((await call("GET", profiles)).body);
    expect(answers).toHaveLength(9);
    for (const answer of answers) {
      expect(JSON.stringify(answer)).not.toContain(secret);
      expect(JSON.stringify(answer)).not.toContain("clientSecret");
    }
    // The strict check the kit's servers are held to refuses a secret in a response.
    const leaked = example("getSynchronizationProfile.200.one-roster");
    leaked.dataProvider.connectionSettings.clientSecret = secret;
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, leaked)).toEqual([]);
    expect(
      validators.validateResponseBody("getSynchronizationProfile", 200, leaked, { declaredOnly: true }),
    ).toMatchObject([
      { path: "/dataProvider/connectionSettings/clientSecret", rule: "writeOnly", source: "kit decisions.md#secrets" },
    ]);
  });

  test("unknown-profile: every operation on an unknown id answers 404 itemNotFound", async () => {
    const { call } = inProcessSimulator();
    const onItems = routeTable.filter(
      (op) => op.path.includes("{id}") || op.operationId === "replaceSynchronizationProfile",
    );
    expect(onItems).toHaveLength(11);
    for (const op of onItems) {
      const { path, init } = validRequest(op);
      const answer = await call(op.method, path, { body: init.body ? JSON.parse(init.body) : undefined });
      expect([answer.status, answer.body.error.code], op.operationId).toEqual([404, "itemNotFound"]);
      expect(answer.body.error.message, op.operationId).toContain("86904b1e-c7d0-4ead-b13a-98f11fc400ee");
      expect(validators.statusSource(op.operationId, 404), op.operationId).toBe("kit decisions.md#unknown-profile");
    }
  });

  test("unknown-segment: a path the API does not have is Graph's 400 naming the segment", async () => {
    const { call } = inProcessSimulator();
    const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
    for (const [path, segment] of [
      [`/beta${profiles}/${id}/auditLog`, "auditLog"],
      [`/beta/education/classes`, "classes"],
      [`/v1.0${profiles}`, "synchronizationProfiles"],
      [`/beta/education`, "education"],
    ] as const) {
      const answer = await call("GET", path);
      expect([answer.status, answer.body.error.code, answer.body.error.message], path).toEqual([
        400,
        "BadRequest",
        `Resource not found for the segment '${segment}'.`,
      ]);
    }
    expect(graphErrorCatalogue.routeNotFound.source).toBe("observed decisions.md#unknown-segment");
    const wrongMethod = await call("DELETE", profiles);
    expect([wrongMethod.status, wrongMethod.body.error.code, wrongMethod.headers.get("allow")]).toEqual([
      405,
      "notAllowed",
      "GET, POST, PUT",
    ]);
  });

  test("service-error-codes: a refused request is BadRequest and a failed list is InternalError, as the service answered", async () => {
    const { call } = inProcessSimulator();
    const refused = await call("POST", profiles, { body: { displayName: "" } });
    expect([refused.status, refused.body.error.code]).toEqual([400, "BadRequest"]);
    const failed = await call("GET", profiles, { headers: { "x-sds-fault": "500" } });
    // The service's answer, as graphError.500 holds it (its copy of the live capture: the examples test proves it).
    const live = example("graphError.500");
    expect([failed.status, failed.body.error.code, failed.body.error.message]).toEqual([
      500,
      live.error.code,
      live.error.message,
    ]);
    // The capture itself is a valid 500 of the list at every level (it has no client-request-id).
    for (const level of ["documented", "observed", "kit"] as const)
      expect(
        validators.validateResponse(
          "listSynchronizationProfiles",
          { status: 500, headers: ids, body: live },
          { level },
        ),
        level,
      ).toEqual([]);
  });

  test.skipIf(!referenceAvailable)(
    "error-codes: every catalogue code is observed, Graph's documented code, or named here",
    () => {
      const reference = readFileSync(join(referenceDir, "graph-sds-api.md"), "utf8");
      const listed = /Documented top-level codes: ([^…]+)…/.exec(reference)?.[1] ?? "";
      const documentedCodes = new Set([...listed.matchAll(/[a-zA-Z]+/g)].map((m) => m[0]));
      expect(documentedCodes.size).toBeGreaterThan(10);
      documentedCodes.add("TooManyRequests"); // Graph's throttling example (§4)
      const entry = (name: string) => {
        const start = ledger.indexOf(`\n## ${name}\n`);
        return ledger.slice(start, ledger.indexOf("\n## ", start + 1));
      };
      for (const [name, { code, source }] of Object.entries(graphErrorCatalogue)) {
        const parsed = parseSource(source);
        if (parsed?.kind === "kit") {
          expect(ledgerEntries, name).toContain(parsed.decision);
          if (!documentedCodes.has(code)) expect(entry("error-codes"), name).toContain(`\`${code}\``);
        } else if (parsed?.kind === "observed") {
          // An observed code is one the observation's entry shows the service answering.
          expect(entry(parsed.decision ?? ""), name).toContain(code);
        } else {
          expect(documentedCodes, `${name}: ${code}`).toContain(code);
        }
      }
    },
  );

  test("unauthenticated-code: a request without a token answers 401 InvalidAuthenticationToken", async () => {
    const { clientFor } = inProcessSimulator();
    const answer = await clientFor(null)("GET", profiles);
    expect([answer.status, answer.body.error.code, answer.body.error.message]).toEqual([
      401,
      "InvalidAuthenticationToken",
      "Access token is empty.",
    ]);
    expect(graphErrorCatalogue.unauthenticated.source).toBe("observed decisions.md#unauthenticated-code");
  });

  test("www-authenticate: every 401 carries a Bearer challenge", async () => {
    const { clientFor } = inProcessSimulator();
    for (const token of [null, "not-a-jwt", createTestToken({ scopes: ["EduAdministration.Read"], exp: 1 })]) {
      const answer = await clientFor(token)("GET", profiles);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(
        /^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\//,
      );
    }
    const withoutChallenge = { status: 401, headers: ids, body: envelope("InvalidAuthenticationToken") };
    expect(
      validators.validateResponse("listSynchronizationProfiles", withoutChallenge, { level: "documented" }),
    ).toEqual([]);
    expect(validators.validateResponse("listSynchronizationProfiles", withoutChallenge)).toMatchObject([
      { location: "header", path: "/www-authenticate", rule: "required", source: "kit decisions.md#www-authenticate" },
    ]);
  });

  test("client-request-id: the header is declared and optional, and the kit's servers always send it", async () => {
    expect(document.components.headers?.["client-request-id"]?.required).toBeUndefined();
    const { call } = inProcessSimulator();
    const mine = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    expect(
      (await call("GET", profiles, { headers: { "client-request-id": mine } })).headers.get("client-request-id"),
    ).toBe(mine);
    const unasked = await call("GET", profiles);
    expect(unasked.headers.get("client-request-id")).toBe(unasked.headers.get("request-id"));
  });

  test("error-envelope: Graph's throttling example validates", () => {
    const throttled = example("graphError.429");
    expect(throttled.error.innerError["client-request-id"]).toBeUndefined();
    expect(validators.validateSchema("GraphError", throttled)).toEqual([]);
    const requestIdSpelling = envelope("accessDenied");
    Object.assign(requestIdSpelling.error.innerError, { requestId: "x" });
    expect(validators.validateSchema("GraphError", requestIdSpelling)).toEqual([]);
    const withoutDate = structuredClone(throttled);
    delete withoutDate.error.innerError.date;
    expect(validators.validateSchema("GraphError", withoutDate)).toMatchObject([
      { path: "/error/innerError/date", rule: "required" },
    ]);
  });

  test("request-size: a body over 1 MiB answers 413 requestEntityTooLarge", async () => {
    const { call } = inProcessSimulator();
    const large = { ...createBody(), displayName: "x".repeat(1024 * 1024) };
    const answer = await call("POST", profiles, { body: large });
    expect([answer.status, answer.body.error.code]).toEqual([413, "requestEntityTooLarge"]);
    expect(validators.statusSource("createSynchronizationProfile", 413)).toBe("kit decisions.md#request-size");
    const small = { ...createBody(), displayName: "x".repeat(1000) };
    expect((await call("POST", profiles, { body: small })).status).toBe(202);
  });

  test("request-timeout: a body slower than the server's body timeout is answered 408 requestTimeout, and the connection closes", async () => {
    expect([graphErrorCatalogue.requestTimeout.status, graphErrorCatalogue.requestTimeout.code]).toEqual([
      408,
      "requestTimeout",
    ]);
    const sim = await startSimulator({ clock: "virtual", uploads: "off", timeouts: { bodyTimeoutMs: 200 } });
    try {
      const slow = await rawConnection(sim.url);
      await slow.write(
        `POST ${profiles} HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"displayName":`,
      );
      const { response, body } = await slow.response();
      expectGraphError(response, body, { status: 408, code: "requestTimeout", message: /within 200 ms/ });
      expect(response.headers.get("connection")).toBe("close");
      await slow.closed();
      // No operation declares it: it answers no operation's request (the spec is silent, as Graph is).
      for (const op of operations) expect(Object.keys(op.responses), op.operationId).not.toContain("408");
    } finally {
      await sim.close();
    }
  });

  test("display-name: an empty name is refused; a long one is not", async () => {
    expect(
      validators.validateRequestBody("createSynchronizationProfile", { ...createBody(), displayName: "" }),
    ).toMatchObject([{ path: "/displayName", rule: "minLength", source: "kit decisions.md#display-name" }]);
    expect(
      validators.validateRequestBody(
        "createSynchronizationProfile",
        { ...createBody(), displayName: "" },
        { level: "documented" },
      ),
    ).toEqual([]);
    const { call } = inProcessSimulator();
    expect((await call("POST", profiles, { body: { ...createBody(), displayName: "n".repeat(300) } })).status).toBe(
      202,
    );
  });

  test("expiration-date: the spec names both rules and the simulator holds them", async () => {
    const rules = (document.components.schemas.EducationSynchronizationProfileCreate as Json).properties.expirationDate[
      "x-sds-rules"
    ];
    expect(rules.map((r: { source: string }) => r.source)).toEqual([
      "documented §2.1 [LEARN][SDK]",
      "kit decisions.md#expiration-date",
    ]);
    const { call, sim } = inProcessSimulator();
    const day = (offsetDays: number) => new Date(sim.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const create = async (expirationDate: string) =>
      (await call("POST", profiles, { body: { ...createBody(), expirationDate } })).status;
    expect(await create(day(365))).toBe(202);
    expect(await create(day(600))).toBe(400);
    expect(await create(day(-3))).toBe(400);
  });

  test("paging: $top 0 and a non-decimal $skiptoken are refused by the spec and the simulator alike", async () => {
    const { call } = inProcessSimulator();
    for (const [query, rule, source] of [
      ["$top=0", "minimum", "kit decisions.md#paging"],
      ["$skiptoken=abc", "pattern", "kit decisions.md#paging"],
    ] as const) {
      expect(
        validators.validateRequest("listSynchronizationProfiles", { query: new URLSearchParams(query) }),
      ).toMatchObject([{ rule, source }]);
      expect((await call("GET", `${profiles}?${query}`)).status, query).toBe(400);
    }
    expect((await call("GET", `${profiles}?$top=1000&$skiptoken=0`)).status).toBe(200);
  });

  test("paging: the service's opaque skipToken is valid at the documented and observed levels", () => {
    const captured = readCaptured("2017-07-localhost.errors.200.ELISION-REMOVED.json") as { "@odata.nextLink": string };
    const next = new URL(captured["@odata.nextLink"]);
    const token = next.searchParams.get("skipToken") ?? "";
    expect(Buffer.from(token, "base64").toString("utf8")).toContain('"SkipEntries":99');
    const query = new URLSearchParams({ $skiptoken: token });
    for (const level of ["documented", "observed"] as const)
      expect(
        validators.validateRequest(
          "listSynchronizationErrors",
          { pathParams: { id: "86904b1e-c7d0-4ead-b13a-98f11fc400ee" }, query },
          { level },
        ),
        level,
      ).toEqual([]);
    expect(
      validators.validateRequest("listSynchronizationErrors", {
        pathParams: { id: "86904b1e-c7d0-4ead-b13a-98f11fc400ee" },
        query,
      }),
    ).toMatchObject([{ rule: "pattern", source: "kit decisions.md#paging" }]);
    // The capture's own page validates at documented, opaque link and all.
    expect(
      validators.validateResponseBody("listSynchronizationErrors", 200, captured, { level: "documented" }),
    ).toEqual([]);
  });

  test("odata-query: every expression the spec's pattern admits is answered, and one it refuses is a 400", async () => {
    const { call, sim } = inProcessSimulator();
    await createProvisioned(call, sim);
    const space = fc.constantFrom(" ", "  ");
    const value = fc.string({ maxLength: 12 }).map((text) => `'${text.replaceAll("'", "''")}'`);
    const property = fc.constantFrom("displayName", "state", "id");
    const comparison = fc
      .tuple(property, space, fc.constantFrom("eq", "ne"), space, value)
      .map(([p, s1, op, s2, v]) => `${p}${s1}${op}${s2}${v}`);
    const prefix = fc.tuple(property, value).map(([p, v]) => `startswith(${p},${v})`);
    const filter = fc
      .array(fc.oneof(comparison, prefix), { minLength: 1, maxLength: 3 })
      .map((terms) => terms.join(" and "));
    const orderby = fc.tuple(property, fc.constantFrom("", " asc", " desc")).map(([p, d]) => `${p}${d}`);
    await fc.assert(
      fc.asyncProperty(filter, orderby, async ($filter, $orderby) => {
        const query = new URLSearchParams({ $filter, $orderby });
        expect(validators.validateRequest("listSynchronizationProfiles", { query })).toEqual([]);
        expect((await call("GET", `${profiles}?${query}`)).status).toBe(200);
      }),
      { numRuns: 100, seed: 20261127 },
    );
    for (const refused of [
      "state eq provisioned",
      "State eq 'provisioned'",
      "state EQ 'provisioned'",
      "errorCount eq '1'",
    ]) {
      const query = new URLSearchParams({ $filter: refused });
      expect(validators.validateRequest("listSynchronizationProfiles", { query }), refused).toMatchObject([
        { rule: "pattern", source: "kit decisions.md#odata-query" },
      ]);
      expect((await call("GET", `${profiles}?${query}`)).status, refused).toBe(400);
    }
  });

  test("optional-dollar: top and filter without their $ page and filter as with it", async () => {
    const { call, sim } = inProcessSimulator();
    await createProvisioned(call, sim);
    await createProvisioned(call, sim, { ...documentedRequest(), displayName: "Second" });
    const page = await call("GET", `/beta${profiles}?top=1`);
    expect(page.body.value).toHaveLength(1);
    expect(page.body["@odata.nextLink"]).toMatch(/skiptoken=1/);
    const filtered = await call("GET", `/beta${profiles}?filter=${encodeURIComponent("displayName eq 'Second'")}`);
    expect(filtered.body.value.map((p: { displayName: string }) => p.displayName)).toEqual(["Second"]);
    const counted = await call("GET", `${profiles}?Count=true&$Top=1`);
    expect([counted.body["@odata.count"], counted.body.value.length]).toEqual([2, 1]);
    expect((await call("GET", `${profiles}?top=1&$top=2`)).status).toBe(400);
    expect((await call("GET", `${profiles}?top=0`)).status).toBe(400);
  });

  test("select: status with $select=lastSynchronizationDateTime answers that property alone, as the help-desk tool read it", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const status = await call("GET", `/beta${profiles}/${id}/profileStatus?$select=lastSynchronizationDateTime`);
    expect(status.status).toBe(200);
    expect(Object.keys(status.body).sort()).toEqual(["@odata.context", "lastSynchronizationDateTime"]);
    expect(status.body["@odata.context"]).toMatch(/\/profileStatus\(lastSynchronizationDateTime\)\/\$entity$/);
    const profile = await call("GET", `${profiles}/${id}?select=displayName,STATE`);
    expect(Object.keys(profile.body).sort()).toEqual(["@odata.context", "displayName", "state"]);
    const listed = await call("GET", `${profiles}?$select=id`);
    expect(listed.body.value).toEqual([{ id }]);
    const unknown = await call("GET", `${profiles}/${id}/profileStatus?$select=syncStatus`);
    expect([unknown.status, unknown.body.error.code, unknown.body.error.message]).toEqual([
      400,
      "BadRequest",
      "Parsing OData Select and Expand failed: Could not find a property named 'syncStatus' on type 'microsoft.graph.educationSynchronizationProfileStatus'.",
    ]);
    const expanded = await call("GET", `${profiles}/${id}?$expand=profileStatus&$select=id`);
    expect(expanded.body).toMatchObject({ id, profileStatus: { id, status: "paused" } });
    expect((await call("GET", `${profiles}/${id}?$expand=displayName`)).body.error.message).toMatch(
      /is not a navigation property/,
    );
  });

  test("segment-case: the script's lower-case uploadurl and the guide's capitals reach their operations", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const lower = await call("GET", `/beta/education/synchronizationProfiles/${id}/uploadurl`);
    expect(lower.status).toBe(200);
    sim.clock.advance(5000);
    const capitals = await call("GET", `/beta/Education/SynchronizationProfiles/${id}/UploadUrl`);
    expect(capitals.status).toBe(200);
    expect((await call("POST", `/BETA/education/SYNCHRONIZATIONPROFILES/${id}/Pause`)).status).toBe(200);
    expect((await call("GET", `/beta/education/synchronizationProfiles/${id}/Errors`)).status).toBe(200);
    expect(matchRoute("GET", `/beta/education/SynchronizationProfiles/${id}/ProfileStatus`)).toMatchObject({
      kind: "operation",
      path: `/education/synchronizationProfiles/${id}/profileStatus`,
    });
  });

  test("bodies-without-use: a GET and a DELETE with a leftover body answer as without one, as Microsoft's collection sent them", async () => {
    // fetch will not send a body with a GET; node:http, like Postman, will.
    const sim = await startSimulator({ clock: "virtual", uploads: "off", timing });
    try {
      const send = (method: string, path: string, body: string) =>
        new Promise<{ status: number; body: Json }>((resolve, reject) => {
          const outgoing = httpRequest(
            new URL(path, sim.url),
            {
              method,
              headers: {
                authorization: `Bearer ${readWrite}`,
                "content-type": "application/json",
                "content-length": Buffer.byteLength(body),
              },
            },
            (incoming) => {
              let text = "";
              incoming.on("data", (chunk: Buffer) => {
                text += chunk.toString("utf8");
              });
              incoming.on("end", () =>
                resolve({ status: incoming.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
              );
            },
          );
          outgoing.on("error", reject);
          outgoing.end(body);
        });
      const leftover = JSON.stringify(readCaptured("2017-internal.update-PUT-body.from-ppe-GET.json"));
      const createdOne = await send("POST", profiles, JSON.stringify(documentedRequest()));
      const createdTwo = await send("POST", profiles, JSON.stringify(documentedRequest()));
      sim.clock.advance(timing.provisioningMs);
      const id = createdOne.body.id;
      for (const path of [`${profiles}/${id}`, `${profiles}/${id}/profileStatus`, `${profiles}/${id}/errors`])
        expect((await send("GET", path, leftover)).status, path).toBe(200);
      expect((await send("DELETE", `${profiles}/${id}`, leftover)).status).toBe(202);
      const pause = await send("POST", `${profiles}/${createdTwo.body.id}/pause`, leftover);
      expect([pause.status, pause.body.error.details[0].code]).toEqual([400, "noBody"]);
    } finally {
      await sim.close();
    }
  });

  test("pre-release-api: the July 2017 collection's paths answer as the beta API answers them", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const status = await call("GET", `/testsds/synchronizationProfiles/${id}/status`);
    expect([status.status, status.body.error.message]).toEqual([400, "Resource not found for the segment 'testsds'."]);
    const verify = await call("POST", `/beta${profiles}/${id}/verifyFiles`);
    expect([verify.status, verify.body.error.message]).toEqual([
      400,
      "Resource not found for the segment 'verifyFiles'.",
    ]);
    const put = await call("PUT", `/beta${profiles}/${id}`, { body: documentedRequest() });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "DELETE, GET, PATCH"]);
    // The pre-release status capture still validates as a response: responses are open.
    const captured = readCaptured("2017-07-testsds-docpage.status.200.json");
    expect(
      validators.validateResponseBody("getSynchronizationProfileStatus", 200, captured, { level: "documented" }),
    ).toEqual([]);
  });

  test("sdk-action-paths: the SDKs' qualified action paths reach the documented operations", () => {
    const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";
    const routed = (method: string, path: string) => {
      const match = matchRoute(method, `/beta/education/synchronizationProfiles/${id}${path}`);
      return match.kind === "operation" ? match.operation.operationId : match.kind;
    };
    expect(routed("POST", "/microsoft.graph.start")).toBe("startSynchronizationProfile");
    expect(routed("GET", "/microsoft.graph.uploadUrl()")).toBe("getSynchronizationProfileUploadUrl");
    expect(routed("POST", "/microsoft.graph.pause")).toBe("pauseSynchronizationProfile");
    expect(routed("POST", "/microsoft.graph.explode")).toBe("notFound");
  });
  test("csv-uploads: without a blob endpoint, uploadUrl answers the documentation's kind of URL, write-only, valid an hour", async () => {
    const { call, sim } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const answer = await call("GET", `${profiles}/${id}/uploadUrl`);
    const url = new URL(answer.body.value);
    expect([url.origin, url.pathname]).toEqual(["https://sdsstorage.blob.core.windows.net", `/${id}`]);
    expect([url.searchParams.get("sr"), url.searchParams.get("sp")]).toEqual(["c", "w"]);
    expect(Date.parse(url.searchParams.get("se") ?? "") - sim.clock.now()).toBeGreaterThan(3_599_000);
    expect(Date.parse(url.searchParams.get("se") ?? "") - sim.clock.now()).toBeLessThanOrEqual(3_600_000);
  });

  test("csv-verification: every rule names its source and the source of its wording", () => {
    expect(Object.keys(verificationRules).length).toBeGreaterThan(15);
    for (const [name, rule] of Object.entries(verificationRules)) {
      expect(rule.source, name).toMatch(ruleSourcePattern);
      expect(rule.wording, name).toMatch(ruleSourcePattern);
    }
  });

  test.skipIf(!referenceAvailable)(
    "csv-verification: every rule names its source, and the documented wordings are the reference's",
    () => {
      const reference = readFileSync(join(referenceDir, "sds-csv-v1.md"), "utf8");
      const table = [...reference.matchAll(/^\| [^|]+ \| (?:Error|Warning) \| `([^`]+)` \|$/gm)].map((m) => m[1]);
      expect(table).toHaveLength(4);
      // The rules worded as the start example are worded exactly as the reference's table has it.
      const documented = new Set(
        Object.values(verificationRules)
          .filter((rule) => rule.wording.startsWith("documented"))
          .map((rule) => rule.template),
      );
      expect([...documented].sort()).toEqual(table.sort());
    },
  );

  test.skipIf(!samplesAvailable)(
    "csv-verification: Microsoft's Min Required Attributes sets start with the documented create request, with Warnings only",
    () => {
      const documented = createBody().dataProvider.customizations as Record<
        string,
        { optionalPropertiesToSync: string[] }
      >;
      // The service fills in the teacher list it defaults to (the documentation's create response).
      const teacher = example("createSynchronizationProfile.202").dataProvider.customizations.teacher
        .optionalPropertiesToSync;
      for (const set of ["us-sds-format-min-required", "uk-format-min-required"]) {
        const folder = join(samplesDir, "sds-csv", set);
        const files = new Map(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name))] as const));
        const { messages } = verifyRoster(files, {
          optionalPropertiesToSync: { student: documented.student?.optionalPropertiesToSync ?? null, teacher },
        });
        expect(messages.length, set).toBeGreaterThan(0);
        expect(
          messages.filter((m) => m.type !== "Warning"),
          set,
        ).toEqual([]);
      }
    },
  );

  test("csv-sync-errors: Microsoft's errors pages' codes, the matching key with its domain, quarantine at 15,000", () => {
    const files = generateRoster({ seed: 11 });
    const lines = (files.get("student.csv") ?? "").split("\r\n");
    const header = (lines[0] ?? "").split(",");
    const cellsOf = (row: number) => (lines[row] ?? "").split(",");
    const column = (name: string) => header.indexOf(name);
    // Row 2 repeats row 1's SIS ID; row 3 repeats row 1's Username; row 4 has a name SDS cannot take.
    const second = cellsOf(2);
    second[column("SIS ID")] = cellsOf(1)[column("SIS ID")] ?? "";
    lines[2] = second.join(",");
    const third = cellsOf(3);
    third[column("Username")] = cellsOf(1)[column("Username")] ?? "";
    lines[3] = third.join(",");
    const fourth = cellsOf(4);
    fourth[column("Last Name")] = "Smith#";
    lines[4] = fourth.join(",");
    files.set("student.csv", lines.join("\r\n"));
    const { roster } = verifyRoster(files);
    if (!roster) throw new Error("the set should verify: duplicates are Warnings");
    const at = new Date("2026-11-27T09:14:05Z");
    const synced = syncRoster(roster, { at, domains: { student: "zsd114.ccsctp.net" } });
    expect(synced.errors.map((e) => [e.entryType, e.errorCode, e.joiningValue])).toEqual([
      ["Student", "DuplicateTargetEntries", `${second[column("Username")]}@zsd114.ccsctp.net`],
      ["Student", "None", `${third[column("Username")]}@zsd114.ccsctp.net`],
      ["Student", "None", `${fourth[column("Username")]}@zsd114.ccsctp.net`],
    ]);
    expect(synced.quarantined).toBe(false);
    expect(syncRoster(roster, { at, handleSpecialCharacterConstraint: true }).errors).toHaveLength(2);
    expect(quarantineErrorLimit).toBe(15_000);
    expect(syncRoster(roster, { at, quarantineAt: 2 })).toMatchObject({ quarantined: true });
  });

  test("blob-emulator-down: a blob store that cannot be reached answers 503 serviceNotAvailable with Retry-After, naming it", async () => {
    const down =
      "The blob emulator (Azurite, PID 4242) exited unexpectedly (SIGKILL): the files uploaded to it are lost.";
    const unreachable: UploadStore = {
      ...noUploads(() => "signature"),
      real: true,
      uploadUrl: () => Promise.reject(new BlobStoreUnavailableError(down)),
      readFiles: () => Promise.reject(new BlobStoreUnavailableError(down)),
    };
    const { call, sim } = inProcessSimulator({ uploads: unreachable });
    const csv = { ...createBody(), dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" } };
    const id = await createProvisioned(call, sim, csv);
    for (const [method, path] of [
      ["GET", `${profiles}/${id}/uploadUrl`],
      ["POST", `${profiles}/${id}/start`],
    ] as const) {
      const answer = await call(method, path);
      expect([answer.status, answer.body.error.code, answer.body.error.message], path).toEqual([
        503,
        "serviceNotAvailable",
        down,
      ]);
      expect(answer.headers.get("retry-after")).toBe("1");
    }
    // Nothing was handed out: a retry is not refused as "still being processed".
    const retried = await call("GET", `${profiles}/${id}/uploadUrl`);
    expect(retried.status).toBe(503);
    // Deleting a profile does not need the store.
    expect((await call("DELETE", `${profiles}/${id}`)).status).toBe(202);
  });

  test("shared-store: two simulators on one store serve the same profiles, with ids drawn at random", async () => {
    // In memory, one seed draws one sequence of ids: two replicas would hand out the same one.
    const memory = [inProcessSimulator({ seed: 7 }), inProcessSimulator({ seed: 7 })];
    const memoryIds = await Promise.all(
      memory.map(async ({ call }) => (await call("POST", profiles, { body: createBody() })).body.id),
    );
    expect(memoryIds[0]).toBe(memoryIds[1]);

    const folder = mkdtempSync(join(tmpdir(), "sds-shared-store-"));
    const store = openStore(`sqlite:${join(folder, "sandbox.db")}`, defaultStoreLimits);
    try {
      await store.open();
      const clock = createClock("virtual");
      const [first, second] = [
        inProcessSimulator({ seed: 7, store, clock }),
        inProcessSimulator({ seed: 7, store, clock }),
      ];
      if (!first || !second) throw new Error("two simulators");
      const a = (await first.call("POST", profiles, { body: createBody() })).body.id as string;
      const b = (await second.call("POST", profiles, { body: createBody() })).body.id as string;
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b).not.toBe(a);
      expect(memoryIds).not.toContain(a);
      for (const { call } of [first, second]) {
        const listed = await call("GET", profiles);
        expect(listed.body.value.map((p: Json) => p.id).sort()).toEqual([a, b].sort());
      }
      clock.advance(timing.provisioningMs);
      expect((await second.call("GET", `${profiles}/${a}`)).body.state).toBe("provisioned");
      expect((await first.call("GET", `${profiles}/${b}`)).body.state).toBe("provisioned");
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test("shared-store: a store that does not answer is 503 serviceNotAvailable with Retry-After", async () => {
    const gone = "the simulator's store (postgres://sds@db:5432/sds) does not answer: connect ECONNREFUSED";
    class UnreachableStore extends MemoryStore implements SimulatorStore {
      override session<T>(): Promise<T> {
        return Promise.reject(new StoreUnavailableError(gone));
      }
      override async ready() {
        return { ready: false as const, reason: gone };
      }
    }
    const { call, sim } = inProcessSimulator({ store: new UnreachableStore() });
    for (const [method, path, body] of [
      ["GET", profiles, undefined],
      ["POST", profiles, createBody()],
      ["GET", `${profiles}/0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b/profileStatus`, undefined],
    ] as const) {
      const answer = await call(method, path, body === undefined ? {} : { body });
      expect([answer.status, answer.body.error.code], path).toEqual([503, "serviceNotAvailable"]);
      expect(answer.body.error.message).toContain(gone);
      expect(answer.headers.get("retry-after")).toBe("1");
    }
    const ready = await sim.fetch("http://simulator.test/_sds/ready");
    expect([ready.status, ((await ready.json()) as Json).reason]).toEqual([503, gone]);
  });
});

describe("decisions.md", () => {
  const table = [...ledger.matchAll(/^\| \[([a-z0-9-]+)\]\(#\1\) +\| ([a-z]+) +\| ([^|]*)\|/gm)].map((m) => ({
    name: m[1] ?? "",
    kind: m[2] ?? "",
    reference: (m[3] ?? "").trim(),
  }));
  const section = (name: string) => {
    const start = ledger.indexOf(`\n## ${name}\n`);
    const end = ledger.indexOf("\n## ", start + 1);
    return ledger.slice(start, end < 0 ? undefined : end);
  };

  test("the summary table lists every entry, in order, with the kind the entry gives", () => {
    expect(table.map((row) => row.name)).toEqual(ledgerEntries);
    for (const row of table) expect(section(row.name), row.name).toContain(`- **Kind.** ${row.kind}.`);
    expect(new Set(table.map((row) => row.kind))).toEqual(
      new Set(["method", "contradiction", "slip", "silence", "observation", "convention"]),
    );
  });

  test.skipIf(!referenceAvailable)(
    "every item of reference §5 is decided, in the table and in the entry's sources",
    () => {
      const reference = readFileSync(join(referenceDir, "graph-sds-api.md"), "utf8");
      const inconsistencies = reference.slice(reference.indexOf("## 5."), reference.indexOf("## 6."));
      const items = [...inconsistencies.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
      expect(items).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const cited = new Map<number, string>();
      for (const row of table) {
        const sources = /- \*\*Sources\.\*\* (.+?)(?=\n- \*\*)/s.exec(section(row.name))?.[1] ?? "";
        for (const match of row.reference.matchAll(/§5 ((?:#\d+(?:, )?)+)/g))
          for (const n of (match[1] ?? "").matchAll(/#(\d+)/g)) {
            cited.set(Number(n[1]), row.name);
            expect(sources, `${row.name} cites §5 #${n[1]}`).toMatch(new RegExp(`#${n[1]}\\b`));
          }
      }
      expect([...cited.keys()].sort((a, b) => a - b)).toEqual(items);
    },
  );

  test("every decision names a test that exists here", () => {
    const source = readFileSync(fileURLToPath(import.meta.url), "utf8");
    for (const name of ledgerEntries) {
      const testLine = /^- \*\*Test\.\*\* (.+(?:\n {2}.+)*)$/m.exec(section(name))?.[1] ?? "";
      const names = [...testLine.matchAll(/`decisions > ([^`]+)`/g)].map((m) => m[1] ?? "");
      expect(names.length, `decision ${name}`).toBeGreaterThan(0);
      for (const testName of names) {
        expect(testName.startsWith(`${name}:`), testName).toBe(true);
        expect(source, testName).toContain(`"${testName}"`);
      }
    }
  });

  test("every UNCONFIRMED item the ledger rests on says so", () => {
    for (const name of [
      "start-status",
      "evolvable-members",
      "unknown-profile",
      "update-verb",
      "lifecycle",
      "error-codes",
    ])
      expect(section(name), name).toContain("UNCONFIRMED");
  });

  test("every link to an entry, anywhere in the kit, names one that exists", () => {
    const files = [
      "spec/openapi.yaml",
      "README.md",
      "generated/PROVENANCE.md",
      "mocks/simulator/README.md",
      "mocks/prism/README.md",
      "contracts/README.md",
      "docs/validators.md",
      "docs/library.md",
      "docs/sandbox.md",
    ];
    const linked = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(packageRoot, file), "utf8");
      for (const match of text.matchAll(/decisions\.md#([a-z0-9-]+)/g)) linked.add(match[1] ?? "");
    }
    expect(linked.size).toBeGreaterThan(20);
    expect([...linked].filter((name) => !ledgerEntries.includes(name))).toEqual([]);
  });
});

/** The JSON objects the reference quotes inline (Graph's throttling body in §4), parsed. */
function referenceInlineJson(): unknown[] {
  const reference = readFileSync(join(referenceDir, "graph-sds-api.md"), "utf8");
  return [...reference.matchAll(/`(\{"[^`]+\})`/g)].flatMap((match) => {
    try {
      return [JSON.parse(match[1] ?? "")];
    } catch {
      return [];
    }
  });
}
