import { describe, expect, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { jsonContent } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { readDocumentation, scenarioRows } from "../support/readme.js";
import { readSpecSource } from "../support/spec-source.js";

const validators = specValidators();
const prismReadme = () => readDocumentation("mocks/prism/README.md");
const rows = scenarioRows(prismReadme());
const source = readSpecSource().paths as Record<
  string,
  Record<string, { responses: Record<string, { $ref?: string }> }>
>;
// Shared error responses (components/responses) have their own table, by status.
const isSharedError = (path: string, method: string, status: string) =>
  Number(status) >= 400 && source[path]?.[method]?.responses[status]?.$ref !== undefined;

type Scenario = [name: string, operationId: string, status: string, example: string | undefined];

const scenarios: Scenario[] = operations.flatMap((op) =>
  Object.entries(validators.operation(op.operationId).responses)
    .filter(([status]) => !isSharedError(op.path, op.method.toLowerCase(), status))
    .flatMap(([status, response]): Scenario[] => {
      const examples = Object.keys(jsonContent(response.content)?.examples ?? {});
      return examples.length > 0
        ? examples.map(
            (example): Scenario => [`${op.operationId} ${status} ${example}`, op.operationId, status, example],
          )
        : [[`${op.operationId} ${status}`, op.operationId, status, undefined]];
    }),
);

describe("mocks/prism/README.md: the scenario tables", () => {
  test.each(scenarios)("lists %s with the header that selects it", (_name, operationId, status, example) => {
    expect(rows).toContainEqual(expect.objectContaining({ operationId, status, example }));
  });

  test("says what each example is, as its file labels it", () => {
    const labelled = rows.filter((row) => row.example !== undefined);
    expect(labelled.length).toBeGreaterThan(30);
    for (const row of labelled) {
      const examples = jsonContent(validators.operation(row.operationId).responses[row.status]?.content)?.examples;
      const example = examples?.[row.example ?? ""] as { "x-sds-example"?: string } | undefined;
      expect(row.label, `${row.operationId} ${row.status} ${row.example}`).toBe(example?.["x-sds-example"]);
    }
  });

  test("lists nothing the spec does not have", () => {
    const known = new Set(scenarios.map(([, op, status, example]) => `${op} ${status} ${example}`));
    for (const row of rows)
      expect(known, JSON.stringify(row)).toContain(`${row.operationId} ${row.status} ${row.example}`);
  });

  test.each(operations.map((op) => [op.operationId, op] as const))(
    "%s has one default row, the status the mock serves",
    (_id, op) => {
      const defaults = rows.filter((row) => row.operationId === op.operationId && row.isDefault);
      expect(defaults).toHaveLength(1);
      const success = op.statuses.filter((s) => s.startsWith("2")).sort();
      expect(defaults[0]?.status).toBe(op.servedStatus ?? success[0]);
    },
  );

  test.each(["400", "401", "403", "404", "409", "413", "415", "429", "500", "503", "504"])(
    "the errors table gives the header for %s",
    (status) => {
      expect(prismReadme()).toMatch(
        new RegExp(`^\\|\\s*${status}\\s*\\|.*\\|\\s*\`Prefer: code=${status}\`\\s*\\|$`, "m"),
      );
    },
  );
});
