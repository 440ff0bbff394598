import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { generateFixtures } from "../../src/fixtures/generate-fixtures.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import { schemaArbitrary } from "../support/schema-arbitrary.js";
import { createProvisioned, inProcessSimulator, profiles } from "../support/simulator-harness.js";

// A request the spec admits is never refused (decisions.md#closed-requests): every rule a server
// enforces on a request body is in the spec, so spec-driven tools never meet a 400 the spec did
// not announce. Each body is first checked against the spec, then sent to the simulator.
const validators = specValidators();
const day = 86_400_000;

type Request = { method: "POST" | "PUT" | "PATCH"; status: number };
const requests: Record<string, Request> = {
  createSynchronizationProfile: { method: "POST", status: 202 },
  replaceSynchronizationProfile: { method: "PUT", status: 202 },
  updateSynchronizationProfile: { method: "PATCH", status: 204 },
};

async function send(operationId: string, body: Record<string, unknown>) {
  const { call, sim } = inProcessSimulator();
  const { method } = requests[operationId] as Request;
  if (method === "POST") return call("POST", profiles, { body });
  // Replacing and updating need a profile to change, provisioned so that its state allows it.
  const id = await createProvisioned(call, sim);
  if (method === "PUT") return call("PUT", profiles, { body: { ...body, id } });
  return call("PATCH", `${profiles}/${id}`, { body });
}

const bodyArbitrary = (operationId: string) => {
  const schema = validators.operation(operationId).requestBody?.content["application/json"]?.schema;
  if (schema === undefined) throw new Error(`${operationId} takes no JSON body`);
  // The simulator's virtual clock starts at the real now; the rule's window is about that day.
  const today = Date.now();
  return schemaArbitrary(validators.document, schema, {
    ruled: (property) => {
      if (property !== "expirationDate") throw new Error(`no values for the rules of '${property}'`);
      const inWindow = fc
        .integer({ min: 1, max: 500 })
        .map((days) => new Date(today + days * day).toISOString().slice(0, 10));
      return fc.oneof(fc.constant(null), inWindow);
    },
  }) as fc.Arbitrary<Record<string, unknown>>;
};

describe("simulator: every request body the spec admits is served", () => {
  test.each(Object.keys(requests))("%s: bodies drawn from the request schema", async (operationId) => {
    const { status } = requests[operationId] as Request;
    await fc.assert(
      fc.asyncProperty(bodyArbitrary(operationId), async (body) => {
        expect(validators.validateRequestBody(operationId, body).map(formatViolation)).toEqual([]);
        const answer = await send(operationId, body);
        expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      }),
      { numRuns: 150, seed: 20261127 },
    );
  });

  test.each(Object.keys(requests))("%s: the generated fixtures", async (operationId) => {
    const { status } = requests[operationId] as Request;
    const fixtures = generateFixtures(operationId, { seed: 7, count: 40 });
    expect(fixtures).toHaveLength(40);
    for (const fixture of fixtures) {
      const answer = await send(operationId, fixture as Record<string, unknown>);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    }
  });

  test("the drawn bodies reach what the schema allows: every type spelling in odd cases, nulls, empty lists", () => {
    const seen = { mixedCaseType: false, nullProvider: false, oneRoster: false, matching: false, emptyLicences: false };
    fc.assert(
      fc.property(bodyArbitrary("createSynchronizationProfile"), (body) => {
        const type = String((body.dataProvider as Record<string, unknown>)["@odata.type"]);
        if (/[A-Z]{3}/.test(type)) seen.mixedCaseType = true;
        if (/onerosterapidataprovider/i.test(type)) seen.oneRoster = true;
        const identity = String((body.identitySynchronizationConfiguration as Record<string, unknown>)["@odata.type"]);
        if (/matching/i.test(identity)) seen.matching = true;
        if (Array.isArray(body.licensesToAssign) && body.licensesToAssign.length === 0) seen.emptyLicences = true;
        const customizations = (body.dataProvider as Record<string, unknown>).customizations;
        if (customizations === null) seen.nullProvider = true;
      }),
      { numRuns: 300, seed: 20261127 },
    );
    expect(seen).toEqual({
      mixedCaseType: true,
      nullProvider: true,
      oneRoster: true,
      matching: true,
      emptyLicences: true,
    });
  });
});
