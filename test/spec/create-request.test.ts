import { describe, expect, test } from "vitest";
import { specValidators } from "../../src/validation/spec-validators.js";
import type { Violation } from "../../src/validation/violation.js";
import { readExample } from "../support/spec-source.js";

const validators = specValidators();
type Body = Record<string, unknown> & {
  dataProvider: Record<string, unknown>;
  identitySynchronizationConfiguration: { userDomains: Record<string, unknown>[]; [key: string]: unknown };
  licensesToAssign: { skuIds: string[] }[];
};
const documented = () => structuredClone(readExample("createSynchronizationProfile.request").value) as Body;

const cases: [string, { given: (body: Body) => void; want: Pick<Violation, "path" | "rule"> }][] = [
  [
    "create > rejects a profile without displayName",
    { given: (b) => delete b.displayName, want: { path: "/displayName", rule: "required" } },
  ],
  [
    "create > rejects an unknown @odata.type",
    {
      given: (b) => (b.dataProvider["@odata.type"] = "#microsoft.graph.educationExcelDataProvider"),
      want: { path: "/dataProvider/@odata.type", rule: "odataType" },
    },
  ],
  [
    "create > rejects a missing @odata.type",
    {
      given: (b) => delete b.identitySynchronizationConfiguration["@odata.type"],
      want: { path: "/identitySynchronizationConfiguration/@odata.type", rule: "odataType" },
    },
  ],
  [
    "create > rejects appliesTo 'principal'",
    {
      given: (b) => ((b.identitySynchronizationConfiguration.userDomains[0] ?? {}).appliesTo = "principal"),
      want: { path: "/identitySynchronizationConfiguration/userDomains/0/appliesTo", rule: "enum" },
    },
  ],
  [
    "create > rejects a skuId that is not a GUID",
    {
      given: (b) => ((b.licensesToAssign[1] ?? { skuIds: [] }).skuIds = ["office-365-a1"]),
      want: { path: "/licensesToAssign/1/skuIds/0", rule: "format" },
    },
  ],
  [
    "create > rejects state set by the client",
    { given: (b) => (b.state = "provisioned"), want: { path: "/state", rule: "readOnly" } },
  ],
  [
    "create > rejects id set by the client",
    { given: (b) => (b.id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee"), want: { path: "/id", rule: "readOnly" } },
  ],
  [
    "create > rejects an expirationDate that is not a date",
    { given: (b) => (b.expirationDate = "31/12/2027"), want: { path: "/expirationDate", rule: "format" } },
  ],
  [
    "create > rejects an unknown top-level property",
    {
      given: (b) => (b.passwordPolicy = { length: 12 }),
      want: { path: "/passwordPolicy", rule: "additionalProperties" },
    },
  ],
  [
    "create > rejects a CSV provider with PowerSchool's properties",
    {
      given: (b) => (b.dataProvider.connectionUrl = "https://ps.contoso.edu"),
      want: { path: "/dataProvider/connectionUrl", rule: "additionalProperties" },
    },
  ],
  [
    "create > rejects a customization that is neither object nor null",
    {
      given: (b) => (b.dataProvider.customizations = "all"),
      want: { path: "/dataProvider/customizations", rule: "type" },
    },
  ],
  [
    "create > rejects an empty displayName",
    { given: (b) => (b.displayName = ""), want: { path: "/displayName", rule: "minLength" } },
  ],
];

describe("create request schema", () => {
  test("accepts the documentation's request unchanged", () => {
    expect(validators.validateRequestBody("createSynchronizationProfile", documented())).toEqual([]);
  });

  test.each(cases)("%s, with exactly one violation naming it", (_name, { given, want }) => {
    const body = documented();
    given(body);
    const violations = validators.validateRequestBody("createSynchronizationProfile", body);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject(want);
    const property = want.path.split("/").at(-1) ?? "";
    expect(`${violations[0]?.path} ${violations[0]?.message}`).toContain(property);
  });

  test("an unknown @odata.type's one violation names the canonical types", () => {
    const body = documented();
    body.dataProvider["@odata.type"] = "#microsoft.graph.educationExcelDataProvider";
    const [violation] = validators.validateRequestBody("createSynchronizationProfile", body);
    for (const name of [
      "educationCsvDataProvider",
      "educationPowerSchoolDataProvider",
      "educationOneRosterApiDataProvider",
    ]) {
      expect(violation?.message).toContain(`#microsoft.graph.${name}`);
    }
    expect(violation?.actual).toBe("#microsoft.graph.educationExcelDataProvider");
  });

  test("several broken rules are all reported, each once", () => {
    const body = documented();
    delete body.displayName;
    body.state = "provisioned";
    body.expirationDate = "soon";
    const paths = validators.validateRequestBody("createSynchronizationProfile", body).map((v) => v.path);
    expect(paths.sort()).toEqual(["/displayName", "/expirationDate", "/state"]);
  });
});
