import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import {
  bodySchemas,
  loadPrecompiled,
  parameterLocations,
  parameterSchemaId,
} from "../../src/validation/schema-compiler.js";
import { SpecValidators } from "../../src/validation/spec-validators.js";
import { readExample } from "../support/spec-source.js";

const document = loadSpec();
const precompiled = new SpecValidators();
const compiledHere = new SpecValidators(undefined, { precompiled: false });

describe("validators compiled ahead of time (generated/*.cjs)", () => {
  test("cover every body schema and every operation's parameters", () => {
    const bodies = loadPrecompiled(join(packageRoot, "generated", "validators.cjs"));
    expect([...(bodies?.keys() ?? [])].sort()).toEqual(
      bodySchemas(document)
        .map((b) => b.id)
        .sort(),
    );
    const parameters = loadPrecompiled(join(packageRoot, "generated", "parameter-validators.cjs"));
    for (const op of listOperations(document)) {
      for (const location of parameterLocations)
        expect(parameters?.has(parameterSchemaId(op.operationId, location))).toBe(true);
    }
  });

  const request = readExample("createSynchronizationProfile.request").value as Record<string, unknown>;
  const cases: [string, () => unknown][] = [
    ["the documented request", () => request],
    [
      "a request missing displayName and setting state",
      () => ({ ...request, displayName: undefined, state: "provisioned" }),
    ],
    ["a wrong @odata.type", () => ({ ...request, dataProvider: { "@odata.type": "#x" } })],
    ["a wrong skuId", () => ({ ...request, licensesToAssign: [{ skuIds: ["x"] }] })],
  ];
  test.each(cases)("give the same violations as compiling at run time: %s", (_name, body) => {
    const given = {
      body: JSON.parse(JSON.stringify(body())),
      query: new URLSearchParams("$top=x"),
      headers: { "client-request-id": "y" },
    };
    expect(precompiled.validateRequest("createSynchronizationProfile", given)).toEqual(
      compiledHere.validateRequest("createSynchronizationProfile", given),
    );
  });

  test("give the same verdicts on a list request's query", () => {
    const query = new URLSearchParams("$top=1000&$count=maybe&$skip=2");
    expect(precompiled.validateRequest("listSynchronizationProfiles", { query })).toEqual(
      compiledHere.validateRequest("listSynchronizationProfiles", { query }),
    );
  });
});
