import { describe, expect, test } from "vitest";
import type { ConformanceLevel } from "../../src/spec/provenance.js";
import { listOperations } from "../../src/spec/spec-operations.js";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import { exampleFileNames, exampleReferences, readSpecSource } from "../support/spec-source.js";

const validators = specValidators();
const operations = listOperations(validators.document);

type Case = [
  name: string,
  { operationId: string; status: string | "request"; value: unknown; level: ConformanceLevel },
];

/** The level an example is valid at: a published request the service refused says `documented` (decisions.md#examples). */
const heldAt = (example: unknown): ConformanceLevel =>
  ((example as { "x-sds-held-at"?: ConformanceLevel })["x-sds-held-at"] ?? "kit") as ConformanceLevel;

const cases: Case[] = operations.flatMap((op) => {
  const out: Case[] = [];
  const requestExamples = op.requestBody?.content["application/json"]?.examples ?? {};
  for (const [name, example] of Object.entries(requestExamples)) {
    out.push([
      `${op.operationId} > request example '${name}'`,
      {
        operationId: op.operationId,
        status: "request",
        value: (example as { value: unknown }).value,
        level: heldAt(example),
      },
    ]);
  }
  for (const [status, response] of Object.entries(op.responses)) {
    for (const [name, example] of Object.entries(response.content?.["application/json"]?.examples ?? {})) {
      out.push([
        `${op.operationId} > ${status} example '${name}'`,
        { operationId: op.operationId, status, value: (example as { value: unknown }).value, level: heldAt(example) },
      ]);
    }
  }
  return out;
});

describe("spec examples", () => {
  test("there is an example for every response with a body", () => {
    const missing = operations.flatMap((op) =>
      Object.entries(op.responses)
        .filter(
          ([, response]) =>
            response.content && Object.keys(response.content["application/json"]?.examples ?? {}).length === 0,
        )
        .map(([status]) => `${op.operationId} ${status}`),
    );
    expect(missing).toEqual([]);
  });

  test.each(cases)("%s validates against its schema", (_name, { operationId, status, value, level }) => {
    const violations =
      status === "request"
        ? validators.validateRequestBody(operationId, value, { level })
        : validators.validateResponseBody(operationId, status, value, { level });
    expect(violations.map(formatViolation)).toEqual([]);
  });

  test("the request the service refused is valid at the documented level and refused from observed up", () => {
    const refused = cases.filter(([, c]) => c.level === "documented");
    expect(refused.map(([name]) => name)).toEqual(["createSynchronizationProfile > request example 'gen-b-2019'"]);
    for (const [, { operationId, value }] of refused)
      for (const level of ["observed", "kit"] as const)
        expect(validators.validateRequestBody(operationId, value, { level }).map((v) => v.rule)).toEqual([
          "refusedOdataType",
          "refusedOdataType",
        ]);
  });
});

describe("example files", () => {
  const references = exampleReferences();
  const referenced = new Set(references.map((r) => `${r.file}`));
  const operationIds = new Set(operations.map((op) => op.operationId));

  // components/responses/X -> the statuses at which operations use X.
  const componentStatuses = new Map<string, Set<string>>();
  const paths = readSpecSource().paths as Record<
    string,
    Record<string, { responses?: Record<string, { $ref?: string }> }>
  >;
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const name = response.$ref?.replace("#/components/responses/", "");
        if (name) componentStatuses.set(name, new Set([...(componentStatuses.get(name) ?? []), status]));
      }
    }
  }

  test.each(exampleFileNames())("%s is referenced by the spec", (file) => {
    expect(referenced.has(file)).toBe(true);
  });

  test.each(references.map((r) => [r.file, r.at] as const))("%s is named for where it is used", (file, at) => {
    const [owner, status] = file.replace(/\.json$/, "").split(".");
    if (at[0] === "components") {
      // A shared error response: graphError.<status>, used only at that status.
      expect(owner).toBe("graphError");
      const component = at[2] ?? "";
      expect([...(componentStatuses.get(component) ?? [])]).toEqual([status]);
      return;
    }
    const [, , , kind, atStatus] = at; // paths, <path>, <method>, requestBody|responses, <status>
    const operation = (paths[at[1] ?? ""]?.[at[2] ?? ""] as { operationId?: string } | undefined)?.operationId;
    if (owner === "graphError") {
      expect(kind).toBe("responses");
      expect(atStatus).toBe(status);
      return;
    }
    expect(operationIds.has(owner ?? "")).toBe(true);
    expect(owner).toBe(operation);
    if (kind === "requestBody") expect(status).toBe("request");
    else expect(atStatus).toBe(status);
  });
});
