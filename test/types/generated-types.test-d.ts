import { describe, expectTypeOf, test } from "vitest";
import type { OperationId } from "../../generated/route-table.js";
import type { components, operations } from "../../generated/types.js";

type CreateBody = components["schemas"]["EducationSynchronizationProfileCreate"];
type Profile = components["schemas"]["EducationSynchronizationProfile"];

// The documentation's create request, typed.
const documented = {
  displayName: "Test Profile",
  dataProvider: {
    "@odata.type": "#microsoft.graph.csvDataProvider",
    customizations: { student: { optionalPropertiesToSync: ["State ID", "Middle Name"] } },
  },
  identitySynchronizationConfiguration: {
    "@odata.type": "#microsoft.graph.identityCreationConfiguration",
    userDomains: [
      { appliesTo: "student", name: "testschool.edu" },
      { appliesTo: "teacher", name: "testschool.edu" },
    ],
  },
  licensesToAssign: [{ appliesTo: "teacher", skuIds: ["6fd2c87f-b296-42f0-b197-1e91e994b900"] }],
} satisfies CreateBody;

describe("generated types", () => {
  test("create body > accepts the documentation's request", () => {
    expectTypeOf(documented).toExtend<CreateBody>();
  });

  test("create body > rejects a wrong enum value", () => {
    const body: CreateBody = {
      ...documented,
      identitySynchronizationConfiguration: {
        "@odata.type": "#microsoft.graph.educationIdentityCreationConfiguration",
        // @ts-expect-error 'principal' is not an educationUserRole
        userDomains: [{ appliesTo: "principal", name: "testschool.edu" }],
      },
    };
    expectTypeOf(body).toExtend<CreateBody>();
  });

  test("create body > rejects a missing required property", () => {
    // @ts-expect-error displayName is required
    const body: CreateBody = {
      dataProvider: documented.dataProvider,
      identitySynchronizationConfiguration: documented.identitySynchronizationConfiguration,
    };
    expectTypeOf(body).toExtend<CreateBody>();
  });

  test("create body > rejects a wrong @odata.type", () => {
    const body: CreateBody = {
      ...documented,
      dataProvider: {
        // @ts-expect-error no data provider has this @odata.type
        "@odata.type": "#microsoft.graph.educationExcelDataProvider",
      },
    };
    expectTypeOf(body).toExtend<CreateBody>();
  });

  test("create body > rejects a server-managed state", () => {
    // @ts-expect-error state is read-only: the create schema forbids it
    const body: CreateBody = { ...documented, state: "provisioned" };
    expectTypeOf(body).toExtend<CreateBody>();
  });

  test("profile > the data provider narrows on @odata.type", () => {
    const connectionUrl = (provider: Profile["dataProvider"]) => {
      if (provider["@odata.type"] === "#microsoft.graph.educationPowerSchoolDataProvider") {
        return provider.connectionUrl;
      }
      // @ts-expect-error a CSV provider has no connectionUrl until narrowed to PowerSchool or OneRoster
      return provider.connectionUrl;
    };
    expectTypeOf(connectionUrl).returns.toEqualTypeOf<string>();
    // Nullable, and optional, as Microsoft's metadata and published types have it (decisions.md#nullability).
    expectTypeOf<Profile["state"]>().toEqualTypeOf<
      components["schemas"]["EducationSynchronizationProfileState"] | null | undefined
    >();
  });

  test("operations > create answers 201 or 202 with a profile", () => {
    type Create = operations["createSynchronizationProfile"]["responses"];
    expectTypeOf<Create[202]["content"]["application/json"]>().toEqualTypeOf<Profile>();
    expectTypeOf<Create[201]["content"]["application/json"]>().toEqualTypeOf<Profile>();
    expectTypeOf<"createSynchronizationProfile">().toExtend<OperationId>();
    // @ts-expect-error not an operation of the spec
    expectTypeOf<"createProfile">().toExtend<OperationId>();
  });
});
