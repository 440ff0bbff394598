import { describe, expect, test } from "vitest";
import { loadSpec } from "../../src/spec/load-spec.js";
import { SpecValidators } from "../../src/validation/spec-validators.js";

// Servers compile without Ajv's strict checks to start fast; here every validator is compiled
// with them, so an unknown keyword or a contradictory schema in spec/ still fails the build.
describe("validators in Ajv strict mode", () => {
  const strict = new SpecValidators(loadSpec(), { strict: true });

  test.each(strict.operationIds.map((id) => [id]))(
    "%s: every request and response validator compiles",
    (operationId) => {
      expect(() => strict.validateRequest(operationId, {})).not.toThrow();
      for (const status of Object.keys(strict.operation(operationId).responses)) {
        expect(() => strict.validateResponse(operationId, { status: Number(status) })).not.toThrow();
      }
    },
  );

  test("every component schema compiles", () => {
    for (const name of strict.schemaNames) expect(() => strict.validateSchema(name, {}), name).not.toThrow();
  });
});
