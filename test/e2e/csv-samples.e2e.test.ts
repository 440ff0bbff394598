import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { samplesAvailable, samplesDir } from "../support/reference.js";
import { readExample } from "../support/spec-source.js";

/**
 * Microsoft's published SDS v1 sample sets (`../shared/samples/sds-csv/`, byte for byte, with their
 * SOURCES.md), each uploaded over HTTP with the Azure Storage SDK through `uploadUrl`, then started:
 * every v1 set starts (200, Warnings at most), whatever the profile selects; the v2 and v2.1 sets
 * are refused with an Error that says what they are (decisions.md#csv-verification).
 */

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as a client reads them
type Json = any;

const folder = join(samplesDir, "sds-csv");
const sets = samplesAvailable
  ? readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : [];
const v1Sets = sets.filter((name) => !name.startsWith("not-v1-"));
const laterSets = sets.filter((name) => name.startsWith("not-v1-"));

const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "samples" });
const api = "/beta/education/synchronizationProfiles";

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: "virtual", strict: true });
}, 60_000);
afterAll(() => simulator.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The documentation's create request, with the profile's customizations as each case wants them. */
const documentedRequest = () => structuredClone(readExample("createSynchronizationProfile.request").value) as Json;
const customizations: [string, () => Json][] = [
  ["the documented create request", documentedRequest],
  [
    "the list example's customizations",
    () => {
      const request = documentedRequest();
      const listed = readExample("listSynchronizationProfiles.200.rebuilt-2021").value as Json;
      request.dataProvider.customizations = listed.value[0].dataProvider.customizations;
      return request;
    },
  ],
  [
    "no customizations",
    () => {
      const request = documentedRequest();
      delete request.dataProvider.customizations;
      return request;
    },
  ],
];

/** Creates a profile, waits for it, uploads a folder's files as they are named there, and starts it. */
async function uploadAndStart(request: Json, set: string): Promise<{ status: number; body: Json }> {
  const created = await call("POST", api, request);
  expect(created.status).toBe(202);
  simulator.clock.advance(5_000);
  const url = await call("GET", `${api}/${created.body.id}/uploadUrl`);
  expect(url.status).toBe(200);
  const container = new ContainerClient(url.body.value, undefined, { retryOptions: { maxTries: 1 } });
  for (const name of readdirSync(join(folder, set))) {
    const bytes = readFileSync(join(folder, set, name));
    await container.getBlockBlobClient(name).uploadData(bytes);
  }
  return call("POST", `${api}/${created.body.id}/start`);
}

describe.skipIf(!samplesAvailable)("Microsoft's SDS v1 sample sets, uploaded with the Azure Storage SDK", () => {
  test("the samples are all here: eleven v1 sets and the two later formats", () => {
    expect([v1Sets.length, laterSets]).toEqual([11, ["not-v1-sds-v2", "not-v1-sds-v2.1"]]);
  });

  describe.each(customizations)("on a profile created with %s", (_, request) => {
    test.each(v1Sets)(
      "%s starts: 200, Warnings at most",
      async (set) => {
        const started = await uploadAndStart(request(), set);
        expect(
          started.body.value.filter((message: { type: string }) => message.type !== "Warning"),
          set,
        ).toEqual([]);
        expect(started.status).toBe(200);
      },
      30_000,
    );
  });

  test("the Min Required Attributes sets warn of each selected column they lack, as the validation page says", async () => {
    const set = "us-sds-format-min-required";
    const students =
      readFileSync(join(folder, set, "Student.csv"), "utf8")
        .trimEnd()
        .split("\r\n").length - 1;
    const started = await uploadAndStart(documentedRequest(), set);
    expect(started.status).toBe(200);
    // The request selects the students' State ID and Middle Name; the set has neither column.
    for (const column of ["State ID", "Middle Name"])
      expect(started.body.value).toContainEqual({
        type: "Warning",
        fileName: "student.csv",
        description: `${students} row(s) have missing data for the field - ${column}`,
      });
  }, 30_000);

  test.each([
    ["not-v1-sds-v2", "v2"],
    ["not-v1-sds-v2.1", "v2.1"],
  ])(
    "%s is refused: an Error that names the SDS %s files",
    async (set, version) => {
      const started = await uploadAndStart(documentedRequest(), set);
      expect(started.status).toBe(400);
      expect(started.body.value[0]).toMatchObject({
        type: "Error",
        description: expect.stringMatching(
          new RegExp(
            `^The upload holds SDS ${version.replace(".", "\\.")} files \\(.*users\\.csv.*\\); a CSV profile reads the six SDS v1 files`,
          ),
        ),
      });
    },
    30_000,
  );
});
