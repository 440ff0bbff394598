import { describe, expect, test } from "vitest";
import { namedSpellings, type OdataTypeSpellings } from "../../src/spec/odata-types.js";
import { resolveReference } from "../../src/spec/openapi-document.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";

const document = specValidators().document;
type Schema = {
  properties?: Record<string, unknown>;
  required?: string[];
  enum?: string[];
  oneOf?: { $ref: string }[];
  [k: string]: unknown;
};
const schema = (name: string) => document.components.schemas[name] as Schema;

describe("spec coverage", () => {
  test("covers the 12 documented operations, update in both its documented and its SDK form", () => {
    const routes = listOperations(document).map((op) => `${op.method.toUpperCase()} ${op.path} ${op.operationId}`);
    expect(routes.sort()).toEqual(
      [
        "GET /education/synchronizationProfiles listSynchronizationProfiles",
        "POST /education/synchronizationProfiles createSynchronizationProfile",
        "GET /education/synchronizationProfiles/{id} getSynchronizationProfile",
        "PUT /education/synchronizationProfiles replaceSynchronizationProfile",
        "PATCH /education/synchronizationProfiles/{id} updateSynchronizationProfile",
        "DELETE /education/synchronizationProfiles/{id} deleteSynchronizationProfile",
        "GET /education/synchronizationProfiles/{id}/profileStatus getSynchronizationProfileStatus",
        "POST /education/synchronizationProfiles/{id}/pause pauseSynchronizationProfile",
        "POST /education/synchronizationProfiles/{id}/resume resumeSynchronizationProfile",
        "POST /education/synchronizationProfiles/{id}/reset resetSynchronizationProfile",
        "POST /education/synchronizationProfiles/{id}/start startSynchronizationProfile",
        "GET /education/synchronizationProfiles/{id}/uploadUrl getSynchronizationProfileUploadUrl",
        "GET /education/synchronizationProfiles/{id}/errors listSynchronizationErrors",
      ].sort(),
    );
  });

  // Reference §2: every type and its properties (educationSynchronizationCustomizationsBase is
  // abstract with one derived type and no properties; the spec folds it into its only child).
  const types: [string, string[]][] = [
    [
      "EducationSynchronizationProfile",
      [
        "id",
        "displayName",
        "dataProvider",
        "identitySynchronizationConfiguration",
        "licensesToAssign",
        "state",
        "expirationDate",
        "handleSpecialCharacterConstraint",
        // Navigation properties (reference §2.1): present when a response expands them.
        "errors",
        "profileStatus",
      ],
    ],
    [
      "EducationSynchronizationProfileStatus",
      ["id", "status", "lastSynchronizationDateTime", "lastActivityDateTime", "errorCount", "statusMessage"],
    ],
    ["EducationCsvDataProvider", ["customizations"]],
    [
      "EducationPowerSchoolDataProvider",
      [
        "connectionUrl",
        "clientId",
        "clientSecret",
        "schoolsIds",
        "schoolYear",
        "allowTeachersInMultipleSchools",
        "customizations",
      ],
    ],
    [
      "EducationOneRosterApiDataProvider",
      ["connectionUrl", "providerName", "schoolsIds", "termIds", "connectionSettings", "customizations"],
    ],
    ["EducationSynchronizationOAuth1ConnectionSettings", ["clientId", "clientSecret"]],
    [
      "EducationSynchronizationOAuth2ClientCredentialsConnectionSettings",
      ["clientId", "clientSecret", "tokenUrl", "scope"],
    ],
    [
      "EducationSynchronizationCustomizations",
      ["school", "section", "student", "teacher", "studentEnrollment", "teacherRoster"],
    ],
    [
      "EducationSynchronizationCustomization",
      ["optionalPropertiesToSync", "synchronizationStartDate", "isSyncDeferred", "allowDisplayNameUpdate"],
    ],
    ["EducationIdentityCreationConfiguration", ["userDomains"]],
    ["EducationIdentityMatchingConfiguration", ["matchingOptions"]],
    ["EducationIdentityDomain", ["appliesTo", "name"]],
    ["EducationIdentityMatchingOptions", ["appliesTo", "sourcePropertyName", "targetPropertyName", "targetDomain"]],
    ["EducationSynchronizationLicenseAssignment", ["appliesTo", "skuIds"]],
    [
      "EducationSynchronizationError",
      ["id", "entryType", "errorCode", "errorMessage", "joiningValue", "recordedDateTime", "reportableIdentifier"],
    ],
    ["EducationFileSynchronizationVerificationMessage", ["type", "fileName", "description"]],
  ];
  test.each(types)("%s has every documented property", (name, properties) => {
    const declared = Object.keys(schema(name).properties ?? {}).filter((p) => !p.startsWith("@odata."));
    expect(declared.sort()).toEqual([...properties].sort());
  });

  test.each([
    [
      "EducationSynchronizationDataProvider",
      ["EducationCsvDataProvider", "EducationPowerSchoolDataProvider", "EducationOneRosterApiDataProvider"],
    ],
    [
      "EducationIdentitySynchronizationConfiguration",
      ["EducationIdentityCreationConfiguration", "EducationIdentityMatchingConfiguration"],
    ],
    [
      "EducationSynchronizationConnectionSettings",
      [
        "EducationSynchronizationOAuth1ConnectionSettings",
        "EducationSynchronizationOAuth2ClientCredentialsConnectionSettings",
      ],
    ],
  ])("%s is polymorphic on @odata.type and its mapping names exactly its branches' spellings", (name, branches) => {
    const parent = schema(name);
    expect(parent.oneOf?.map((b) => b.$ref.split("/").at(-1))).toEqual(branches);
    const mapping = (parent.discriminator as { propertyName: string; mapping: Record<string, string> }).mapping;
    const fromBranches: [string, string][] = [];
    for (const branch of parent.oneOf ?? []) {
      const target = resolveReference<Schema>(document, branch);
      expect(target.required).toContain("@odata.type");
      const spellings = (target.properties?.["@odata.type"] as Schema | undefined)?.["x-sds-odata-type"] as
        | OdataTypeSpellings
        | undefined;
      expect(spellings, branch.$ref).toBeDefined();
      for (const spelling of namedSpellings(spellings as OdataTypeSpellings))
        fromBranches.push([spelling, branch.$ref]);
    }
    expect(Object.entries(mapping).sort()).toEqual(fromBranches.sort());
  });

  test.each([
    [
      "EducationSynchronizationProfileState",
      ["deleting", "deletionFailed", "provisioningFailed", "provisioned", "provisioning", "unknownFutureValue"],
    ],
    [
      "EducationSynchronizationStatus",
      [
        "paused",
        "inProgress",
        "success",
        "error",
        "validationError",
        "quarantined",
        "unknownFutureValue",
        "extracting",
        "validating",
      ],
    ],
    ["EducationUserRole", ["student", "teacher", "none", "unknownFutureValue", "faculty"]],
  ])("enum %s has the metadata's members, evolvable ones after unknownFutureValue", (name, members) => {
    expect(schema(name).enum).toEqual(members);
  });

  // What a response must hold is what Microsoft's metadata makes non-nullable (reference §2):
  // state and status are nullable there, and in its published types (decisions.md#nullability).
  test.each([
    ["EducationSynchronizationProfile", ["id", "displayName", "dataProvider", "identitySynchronizationConfiguration"]],
    ["EducationSynchronizationProfileStatus", []],
  ])("responses require what Microsoft's model guarantees: %s requires %j", (name, fields) => {
    expect(schema(name).required ?? []).toEqual(fields);
  });

  test.each([
    ["EducationSynchronizationProfile", "state"],
    ["EducationSynchronizationProfileStatus", "status"],
  ])("%s.%s may be null", (name, property) => {
    const declared = schema(name).properties?.[property] as Schema | undefined;
    const branches = (declared?.oneOf ?? []) as Schema[];
    expect(branches).toContainEqual({ type: "null" });
  });

  test("a create request cannot carry the server-managed id or state", () => {
    for (const name of ["EducationSynchronizationProfileCreate", "EducationSynchronizationProfileUpdate"]) {
      expect(schema(name).properties?.id).toBe(false);
      expect(schema(name).properties?.state).toBe(false);
    }
    expect((schema("EducationSynchronizationProfile").properties?.id as Schema | undefined)?.readOnly).toBe(true);
  });

  test.each(listOperations(document).map((op) => [op.operationId, op] as const))(
    "%s declares the Graph errors, request-id headers and permissions",
    (_id, op) => {
      const statuses = Object.keys(op.responses);
      for (const status of ["400", "401", "403", "429", "500", "503"]) expect(statuses).toContain(status);
      if (op.path.includes("{id}")) expect(statuses).toContain("404");
      for (const response of Object.values(op.responses)) {
        expect(Object.keys(response.headers ?? {})).toEqual(
          expect.arrayContaining(["request-id", "client-request-id"]),
        );
      }
      expect(Object.keys(op.responses["429"]?.headers ?? {})).toContain("Retry-After");
      expect(op.permissions.delegated.length).toBeGreaterThan(0);
    },
  );

  test("list operations take the OData paging and filter options", () => {
    for (const id of ["listSynchronizationProfiles", "listSynchronizationErrors"]) {
      const op = listOperations(document).find((o) => o.operationId === id);
      const query = op?.parameters.filter((p) => p.in === "query").map((p) => p.name);
      expect(query).toEqual(expect.arrayContaining(["$top", "$skip", "$filter", "$count", "$skiptoken"]));
    }
  });
});
