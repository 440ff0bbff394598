import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { specValidators } from "../../src/validation/spec-validators.js";
import { formatViolation } from "../../src/validation/violation.js";
import { capturedDir, samplesAvailable, samplesDir } from "../support/reference.js";

/**
 * The payloads captured from the live service and its pre-release instances
 * (`../shared/samples/graph-payloads/`, each described in its SOURCES.md), held to the spec: every
 * response validates at the documented level, as anything the service answered must; the
 * pre-release requests are refused, since the beta API renamed what they send
 * (decisions.md#pre-release-api).
 */
const folder = join(samplesDir, "graph-payloads");
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), "utf8")) as unknown;
const validators = specValidators();

const responses: [file: string, operationId: string, status: number][] = [
  ["live-2020-03-04.list.500.InternalError.json", "listSynchronizationProfiles", 500],
  ["2017-07-localhost.status.200.NBSP-NORMALISED.json", "getSynchronizationProfileStatus", 200],
  ["2017-07-testsds-docpage.status.200.json", "getSynchronizationProfileStatus", 200],
  ["2017-07-localhost.errors.200.ELISION-REMOVED.json", "listSynchronizationErrors", 200],
  ["2017-07-testsds-docpage.errors.200.json", "listSynchronizationErrors", 200],
];
const requests: [file: string, operationId: string, renamed: string[]][] = [
  [
    "2017-internal.create-request.identityMatching.json",
    "createSynchronizationProfile",
    ["dataSource", "identitySyncConfiguration"],
  ],
  [
    "2017-internal.create-request.csv-0531.json",
    "createSynchronizationProfile",
    ["dataSource", "identitySyncConfiguration"],
  ],
  [
    "2017-internal.update-PUT-body.from-ppe-GET.json",
    "replaceSynchronizationProfile",
    ["dataSource", "identitySyncConfiguration"],
  ],
];
/** The one capture that is not a whole payload: the create 400 of #17889, cut off by the only stored copy. */
const fragments = ["live-2022-07-28.create.400.BadRequest.InvalidODataType.FRAGMENT.json"];

describe.skipIf(!samplesAvailable)("payloads captured from the service", () => {
  test("every file of the folder is held to the spec here, or named as the fragment it is", () => {
    const files = readdirSync(folder).filter((file) => file.endsWith(".json"));
    expect(files.sort()).toEqual(
      [...responses.map(([file]) => file), ...requests.map(([file]) => file), ...fragments].sort(),
    );
  });

  test.each(responses)("%s is a valid %s %i at the documented and observed levels", (file, operationId, status) => {
    for (const level of ["documented", "observed"] as const)
      expect(
        validators.validateResponseBody(operationId, status, read(file), { level }).map(formatViolation),
        level,
      ).toEqual([]);
  });

  test.each(requests)(
    "%s, a pre-release %s request, is refused for the properties beta renamed",
    (file, operationId, renamed) => {
      for (const level of ["documented", "observed", "kit"] as const) {
        const violations = validators.validateRequestBody(operationId, read(file), { level });
        // The beta names are missing at every level; the old ones are named too where requests are closed (kit).
        expect(
          violations.map((v) => v.path),
          level,
        ).toEqual(expect.arrayContaining(["/dataProvider", "/identitySynchronizationConfiguration"]));
        if (level === "kit")
          expect(violations.map((v) => v.path)).toEqual(expect.arrayContaining(renamed.map((name) => `/${name}`)));
      }
    },
  );

  test("the copies in test/captured are their originals, byte for byte", () => {
    const copies = readdirSync(capturedDir).filter((file) => file.endsWith(".json"));
    expect(copies.length).toBeGreaterThanOrEqual(4);
    for (const file of copies)
      expect(readFileSync(join(capturedDir, file), "utf8"), file).toBe(readFileSync(join(folder, file), "utf8"));
  });
});
