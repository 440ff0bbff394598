import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createSimulator } from "../../mocks/simulator/create-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";
import { matchRoute } from "../../src/spec/match-route.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { readExample } from "../support/spec-source.js";

// Each test here holds one entry of spec/decisions.md; the last test keeps the two in step.
const validators = specValidators();
const operations = listOperations(validators.document);
const byId = (operationId: string) => {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  return op;
};
const schemaRef = (operationId: string, status: string) =>
  byId(operationId).responses[status]?.content?.["application/json"]?.schema;
const createBody = () =>
  structuredClone(readExample("createSynchronizationProfile.request").value) as Record<string, Record<string, unknown>>;

describe("decisions", () => {
  test("create-status: 201 and 202 are both declared, with the same body", () => {
    const successes = Object.keys(byId("createSynchronizationProfile").responses).filter((s) => s.startsWith("2"));
    expect(successes.sort()).toEqual(["201", "202"]);
    expect(schemaRef("createSynchronizationProfile", "201")).toEqual(schemaRef("createSynchronizationProfile", "202"));
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

    const roundTrip = structuredClone(readExample("getSynchronizationProfile.200").value) as Record<string, unknown>;
    expect(validators.validateRequestBody("replaceSynchronizationProfile", roundTrip)).toEqual([]);
    delete roundTrip.id;
    expect(validators.validateRequestBody("replaceSynchronizationProfile", roundTrip)).toMatchObject([
      { path: "/id", rule: "required" },
    ]);
    expect(validators.validateRequestBody("updateSynchronizationProfile", { state: "provisioned" })).toMatchObject([
      { path: "/state", rule: "readOnly" },
    ]);
  });

  test("path-prefix: every path is under /education/synchronizationProfiles", () => {
    for (const op of operations) expect(op.path).toMatch(/^\/education\/synchronizationProfiles(\/|$)/);
    expect(validators.document.servers?.map((s) => s.url)).toEqual([
      "https://graph.microsoft.com/beta",
      "https://graph.microsoft.com/testEduApi",
    ]);
  });

  const spellings: [string, string, string][] = [
    ["dataProvider", "#microsoft.graph.csvDataProvider", "2017 preview"],
    ["dataProvider", "#microsoft.graph.educationcsvdataprovider", "December 2017"],
    ["dataProvider", "#Microsoft.Education.DataSync.educationCsvDataProvider", "2019-2021 requests"],
    ["dataProvider", "#microsoft.graph.educationCsvDataProvider", "newest"],
    ["dataProvider", "microsoft.graph.educationCsvDataProvider", "GET example"],
    ["dataProvider", "microsoft.graph.educationcsvdataprovider", "PUT example"],
    ["identitySynchronizationConfiguration", "#microsoft.graph.identityCreationConfiguration", "2017 preview"],
    [
      "identitySynchronizationConfiguration",
      "#microsoft.graph.educationidentitycreationconfiguration",
      "December 2017",
    ],
    [
      "identitySynchronizationConfiguration",
      "#Microsoft.Education.DataSync.educationIdentityCreationConfiguration",
      "2019-2021 requests",
    ],
    ["identitySynchronizationConfiguration", "#microsoft.graph.educationIdentityCreationConfiguration", "newest"],
  ];
  test("odata-type-spellings: every published spelling is accepted", () => {
    for (const [property, spelling] of spellings) {
      const body = createBody();
      (body[property] as Record<string, unknown>)["@odata.type"] = spelling;
      expect(validators.validateRequestBody("createSynchronizationProfile", body), spelling).toEqual([]);
    }
    const oneRoster = structuredClone(readExample("createSynchronizationProfile.request.one-roster").value) as Record<
      string,
      Record<string, unknown>
    >;
    (oneRoster.dataProvider as Record<string, unknown>)["@odata.type"] =
      "microsoft.graph.educationoneRosterApiDataProvider";
    expect(validators.validateRequestBody("createSynchronizationProfile", oneRoster)).toEqual([]);
  });

  test("odata-type-spellings: the abstract identity type is rejected with one violation", () => {
    const body = createBody();
    (body.identitySynchronizationConfiguration as Record<string, unknown>)["@odata.type"] =
      "microsoft.graph.educationIdentitySynchronizationConfiguration";
    const violations = validators.validateRequestBody("createSynchronizationProfile", body);
    expect(violations).toMatchObject([
      { path: "/identitySynchronizationConfiguration/@odata.type", rule: "odataType" },
    ]);
  });

  test("start-status: 400 carries verification messages or a Graph error", () => {
    const messages = readExample("startSynchronizationProfile.400.verification-errors").value;
    const error = readExample("graphError.400").value;
    expect(validators.validateResponseBody("startSynchronizationProfile", 400, messages)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 400, error)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 200, messages)).toEqual([]);
    expect(validators.validateResponseBody("startSynchronizationProfile", 200, { value: [] })).toEqual([]);
    expect(
      validators.validateResponseBody("startSynchronizationProfile", 400, { value: [{ type: "Fatal" }] }),
    ).not.toEqual([]);
  });

  test("upload-url-status: 200 and 201 are both declared", () => {
    const op = byId("getSynchronizationProfileUploadUrl");
    expect(Object.keys(op.responses).filter((s) => s.startsWith("2"))).toEqual(["200", "201"]);
    expect(schemaRef(op.operationId, "201")).toEqual(schemaRef(op.operationId, "200"));
  });

  test("applies-to-casing: capitalised Student is rejected", () => {
    const body = createBody();
    const domains = (body.identitySynchronizationConfiguration as { userDomains: { appliesTo: string }[] }).userDomains;
    (domains[0] as { appliesTo: string }).appliesTo = "Student";
    const violations = validators.validateRequestBody("createSynchronizationProfile", body);
    expect(violations).toMatchObject([
      { path: "/identitySynchronizationConfiguration/userDomains/0/appliesTo", rule: "enum" },
    ]);
    expect(violations[0]?.expected).toEqual(["student", "teacher", "none", "unknownFutureValue", "faculty"]);
  });

  test("enum-casing: a capitalised state is rejected", () => {
    const profile = structuredClone(readExample("getSynchronizationProfile.200").value) as Record<string, unknown>;
    profile.state = "Provisioned";
    expect(validators.validateResponseBody("getSynchronizationProfile", 200, profile)).toMatchObject([
      { path: "/state", rule: "enum" },
    ]);
  });

  test("error-count-type: errorCount is an integer, never a string", () => {
    const status = structuredClone(readExample("getSynchronizationProfileStatus.200").value) as Record<string, unknown>;
    status.errorCount = 9007199254740991;
    expect(validators.validateResponseBody("getSynchronizationProfileStatus", 200, status)).toEqual([]);
    for (const bad of ["14", 1.5, -1]) {
      status.errorCount = bad;
      expect(
        validators.validateResponseBody("getSynchronizationProfileStatus", 200, status),
        String(bad),
      ).toMatchObject([{ path: "/errorCount" }]);
    }
  });

  test("verification-message: Error and error are accepted; filename is not", () => {
    const body = (value: unknown[]) => ({ value });
    for (const type of ["Error", "error", "Warning", "warning", "information"]) {
      expect(
        validators.validateResponseBody(
          "startSynchronizationProfile",
          200,
          body([{ type, fileName: "a.csv", description: "d" }]),
        ),
      ).toEqual([]);
    }
    expect(
      validators.validateResponseBody("startSynchronizationProfile", 200, body([{ type: "Error", filename: "a.csv" }])),
    ).toMatchObject([{ path: "/value/0/filename", rule: "additionalProperties" }]);
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

  test("state-conflict: every state-dependent operation declares 409", () => {
    const stateDependent = operations.filter((op) => Object.hasOwn(op.responses, "409")).map((op) => op.operationId);
    expect(stateDependent.sort()).toEqual(
      [
        "replaceSynchronizationProfile",
        "updateSynchronizationProfile",
        "deleteSynchronizationProfile",
        "pauseSynchronizationProfile",
        "resumeSynchronizationProfile",
        "resetSynchronizationProfile",
        "startSynchronizationProfile",
        "getSynchronizationProfileUploadUrl",
      ].sort(),
    );
  });

  test("error-envelope: Graph's throttling example validates", () => {
    const throttled = readExample("graphError.429").value as { error: { innerError: Record<string, unknown> } };
    expect(throttled.error.innerError["client-request-id"]).toBeUndefined();
    expect(validators.validateSchema("GraphError", throttled)).toEqual([]);
    const withoutDate = structuredClone(throttled);
    delete withoutDate.error.innerError.date;
    expect(validators.validateSchema("GraphError", withoutDate)).toMatchObject([
      { path: "/error/innerError/date", rule: "required" },
    ]);
  });

  test("synchronization-start-date: the year-1 default is a valid date-time", () => {
    const customization = { synchronizationStartDate: "0001-01-01T00:00:00Z", isSyncDeferred: false };
    expect(validators.validateSchema("EducationSynchronizationCustomization", customization)).toEqual([]);
    expect(
      validators.validateSchema("EducationSynchronizationCustomization", { synchronizationStartDate: "0001-01-01" }),
    ).toMatchObject([{ rule: "format" }]);
  });

  test("optional-properties: any column name is accepted", () => {
    const customization = {
      optionalPropertiesToSync: ["Middle Name", "Email", "GradeLow", "Grade Low", "Some Future Column"],
    };
    expect(validators.validateSchema("EducationSynchronizationCustomization", customization)).toEqual([]);
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

  test("sync-status-before-start: a CSV profile waits in paused; an API profile starts by itself", async () => {
    const { sim, call } = inProcessSimulator();
    const csv = await call("POST", "/education/synchronizationProfiles", createBody());
    const oneRoster = await call(
      "POST",
      "/education/synchronizationProfiles",
      readExample("createSynchronizationProfile.request.one-roster").value,
    );
    sim.clock.advance(1000);
    const status = async (id: string) =>
      (await call("GET", `/education/synchronizationProfiles/${id}/profileStatus`, undefined, optIn)).status;
    expect(await status(csv.id as string)).toBe("paused");
    expect(await status(oneRoster.id as string)).toBe("extracting");
    expect((await call("POST", `/education/synchronizationProfiles/${csv.id}/resume`)).error.code).toBe("conflict");
  });

  test("idempotent-pause-resume: a repeated pause or resume is a 200 that changes nothing", async () => {
    const { sim, call } = inProcessSimulator();
    const { id } = await call("POST", "/education/synchronizationProfiles", createBody());
    sim.clock.advance(1000);
    await call("POST", `/education/synchronizationProfiles/${id}/start`);
    const statusOf = async () =>
      (await call("GET", `/education/synchronizationProfiles/${id}/profileStatus`, undefined, optIn)).status;
    expect(await call("POST", `/education/synchronizationProfiles/${id}/resume`)).toBeUndefined();
    expect(await statusOf()).toBe("extracting");
    await call("POST", `/education/synchronizationProfiles/${id}/pause`);
    expect(await call("POST", `/education/synchronizationProfiles/${id}/pause`)).toBeUndefined();
    expect(await statusOf()).toBe("paused");
  });

  test("evolvable-members: unknownFutureValue stands in unless the client opts in", async () => {
    const { sim, call } = inProcessSimulator();
    const body = createBody() as unknown as { licensesToAssign: { appliesTo: string }[] };
    (body.licensesToAssign[0] as { appliesTo: string }).appliesTo = "faculty";
    const { id } = await call("POST", "/education/synchronizationProfiles", body);
    sim.clock.advance(1000);
    await call("POST", `/education/synchronizationProfiles/${id}/start`);
    const read = (prefer?: Record<string, string>) =>
      call("GET", `/education/synchronizationProfiles/${id}`, undefined, prefer);
    expect((await read()).licensesToAssign[0].appliesTo).toBe("unknownFutureValue");
    expect((await read(optIn)).licensesToAssign[0].appliesTo).toBe("faculty");
    const status = await call("GET", `/education/synchronizationProfiles/${id}/profileStatus`);
    expect(status.status).toBe("unknownFutureValue");
  });

  test("every decision in decisions.md names a test that exists here", () => {
    const ledger = readFileSync(join(packageRoot, "spec", "decisions.md"), "utf8");
    const headings = [...ledger.matchAll(/^## ([a-z-]+)$/gm)].map((m) => m[1]);
    const testLines = [...ledger.matchAll(/^- \*\*Test\.\*\* (.+(?:\n {2}.+)*)$/gm)].map((m) => m[1] ?? "");
    expect(testLines).toHaveLength(headings.length);
    const source = readFileSync(fileURLToPath(import.meta.url), "utf8");
    for (const [index, line] of testLines.entries()) {
      const names = [...line.matchAll(/`decisions > ([^`]+)`/g)].map((m) => m[1] ?? "");
      expect(names.length, `decision ${headings[index]}`).toBeGreaterThan(0);
      for (const name of names) {
        expect(name.startsWith(`${headings[index]}:`), name).toBe(true);
        expect(source, name).toContain(`test("${name}"`);
      }
    }
  });
});

const optIn = { prefer: "include-unknown-enum-members" };

// biome-ignore lint/suspicious/noExplicitAny: the tests read fields of bodies that strict mode has already validated
type Json = any;

/** The simulator in process, on a virtual clock, provisioning in 1 s; `call` returns the parsed body. */
function inProcessSimulator() {
  const sim = createSimulator({
    clock: "virtual",
    timing: { provisioningMs: 1000, syncPhaseMs: 1000, deletionMs: 1000 },
    strict: true,
  });
  const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Json> => {
    const response = await sim.fetch(`http://simulator.invalid${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  return { sim, call };
}

const ids = {
  "request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
  "client-request-id": "4c8a2d35-6f0e-4a57-b8d3-1e2f3a4b5c6d",
};
