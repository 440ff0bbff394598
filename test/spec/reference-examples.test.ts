import { beforeAll, describe, expect, test } from "vitest";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import { referenceAvailable, referenceJsonBlocks, seedCreatePage } from "../support/reference.js";
import { readExample } from "../support/spec-source.js";

const validators = specValidators();

// Every JSON payload of reference §3, where it belongs, and the example file that copies it.
const documented: [
  string,
  { section: string; index: number; operationId: string; status: string; copiedAs: string[] },
][] = [
  [
    "3.1 create request (generation A)",
    {
      section: "3.1 Create",
      index: 0,
      operationId: "createSynchronizationProfile",
      status: "request",
      copiedAs: ["createSynchronizationProfile.request"],
    },
  ],
  [
    "3.1 create response",
    {
      section: "3.1 Create",
      index: 1,
      operationId: "createSynchronizationProfile",
      status: "202",
      copiedAs: ["createSynchronizationProfile.202", "createSynchronizationProfile.201"],
    },
  ],
  [
    "3.2 status (generation A)",
    {
      section: "3.2 Get status",
      index: 0,
      operationId: "getSynchronizationProfileStatus",
      status: "200",
      copiedAs: ["getSynchronizationProfileStatus.200.gen-a"],
    },
  ],
  [
    "3.2 status (2021)",
    {
      section: "3.2 Get status",
      index: 1,
      operationId: "getSynchronizationProfileStatus",
      status: "200",
      copiedAs: ["getSynchronizationProfileStatus.200.documented-2021"],
    },
  ],
  [
    "3.2 status (newest)",
    {
      section: "3.2 Get status",
      index: 2,
      operationId: "getSynchronizationProfileStatus",
      status: "200",
      copiedAs: ["getSynchronizationProfileStatus.200"],
    },
  ],
  [
    "3.4 start with verification messages",
    {
      section: "3.4 Start",
      index: 0,
      operationId: "startSynchronizationProfile",
      status: "400",
      copiedAs: ["startSynchronizationProfile.400.verification-errors", "startSynchronizationProfile.200.documented"],
    },
  ],
  [
    "3.5 upload URL",
    {
      section: "3.5 Upload URL",
      index: 0,
      operationId: "getSynchronizationProfileUploadUrl",
      status: "200",
      copiedAs: ["getSynchronizationProfileUploadUrl.200", "getSynchronizationProfileUploadUrl.201"],
    },
  ],
  [
    "3.6 errors",
    { section: "3.6 Errors", index: 0, operationId: "listSynchronizationErrors", status: "200", copiedAs: [] },
  ],
];

function documentedValue(section: string, index: number): unknown {
  const blocks = referenceJsonBlocks(section);
  expect(blocks.length).toBeGreaterThan(index);
  return blocks[index];
}

function validate(operationId: string, status: string, value: unknown) {
  return (
    status === "request"
      ? validators.validateRequestBody(operationId, value)
      : validators.validateResponseBody(operationId, status, value)
  ).map(formatViolation);
}

describe.skipIf(!referenceAvailable)("documentation examples (reference §3)", () => {
  test.each(documented)("%s validates against its operation", (_name, { section, index, operationId, status }) => {
    expect(validate(operationId, status, documentedValue(section, index))).toEqual([]);
  });

  test.each(documented.filter(([, c]) => c.copiedAs.length > 0))(
    "%s is copied verbatim into spec/examples",
    (_name, { section, index, copiedAs }) => {
      const original = documentedValue(section, index);
      for (const name of copiedAs) expect(readExample(name).value).toEqual(original);
    },
  );

  test("3.6 errors: the spec's example begins with the documented item and keeps its count and context", () => {
    const original = documentedValue("3.6 Errors", 0) as { value: unknown[]; [key: string]: unknown };
    const example = readExample("listSynchronizationErrors.200").value as typeof original;
    expect(example["@odata.context"]).toBe(original["@odata.context"]);
    expect(example["@odata.count"]).toBe(original["@odata.count"]);
    expect(example.value[0]).toEqual(original.value[0]);
  });
});

describe.skipIf(!referenceAvailable)("the original create page (seed)", () => {
  // Read when the tests run: without the reference, the describe is collected but nothing in it runs.
  let seed: ReturnType<typeof seedCreatePage>;
  beforeAll(() => {
    seed = seedCreatePage();
  });

  test("its request validates against the create request schema", () => {
    expect(validate("createSynchronizationProfile", "request", seed.request)).toEqual([]);
  });

  test("its response validates against the create response, under 202 and under its own 201 status line", () => {
    expect(seed.responseStatusLine).toBe("HTTP/1.1 201 Created");
    expect(validate("createSynchronizationProfile", "202", seed.response)).toEqual([]);
    expect(validate("createSynchronizationProfile", "201", seed.response)).toEqual([]);
  });

  test("is the payload of reference §3.1", () => {
    expect(seed.request).toEqual(documentedValue("3.1 Create", 0));
    expect(seed.response).toEqual(documentedValue("3.1 Create", 1));
  });
});
