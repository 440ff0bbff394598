/**
 * The CSV flow's cost, each beside a baseline in the same run:
 * - verification throughput: `verifyRoster` on a generated set of 100,000 students (plus their
 *   schools, sections, teachers, enrollments and rosters), against csv-parse reading the same
 *   bytes and doing nothing else;
 * - the upload-plus-start round trip against `startSimulator` (Azurite behind it): get an upload
 *   URL, upload the six files with the Azure SDK, start, against the upload alone.
 *
 *   npm run bench:csv
 *   npm run bench:csv -- --rounds 1 --students 20000
 */
import { parseArgs } from "node:util";
import { ContainerClient } from "@azure/storage-blob";
import { parse } from "csv-parse/sync";
import { startSimulator } from "../mocks/simulator/start-simulator.js";
import { createTestToken } from "../src/auth/test-token.js";
import { createSynchronizationProfilesClient } from "../src/client/synchronization-profiles-client.js";
import { generateRoster } from "../src/csv/generate-roster.js";
import { verifyRoster } from "../src/csv/verify-roster.js";
import { csvProfileRequest } from "../src/pact/provider-states/csv-profile-request.js";
import { median } from "./support/measure.js";

// --seconds, --starts and --connections belong to the other benchmarks; `npm run bench` passes every option to each.
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    students: { type: "string", default: "100000" },
    seconds: { type: "string" },
    starts: { type: "string" },
    connections: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const students = Number(values.students);
if (!Number.isInteger(rounds) || rounds <= 0 || !Number.isInteger(students) || students < 100) {
  console.error("bench: --rounds takes a whole number above 0, --students one of at least 100");
  process.exit(2);
}

// 100,000 students over 50 schools of 40 sections and 40 teachers, three sections each.
const schools = Math.max(1, Math.round(students / 2000));
const files = generateRoster({
  seed: "bench",
  schools,
  studentsPerSchool: Math.round(students / schools),
  sectionsPerSchool: 40,
  teachersPerSchool: 40,
  sectionsPerStudent: 3,
});
const bytes = new Map([...files].map(([name, text]) => [name, Buffer.from(text, "utf8")]));
const rows = [...files.values()].reduce((n, text) => n + text.split("\r\n").length - 2, 0);

const verifyMs: number[] = [];
const parseMs: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  let start = performance.now();
  const { messages } = verifyRoster(bytes);
  verifyMs.push(performance.now() - start);
  if (messages.length > 0) throw new Error(`the generated set should verify cleanly: ${JSON.stringify(messages[0])}`);
  start = performance.now();
  for (const content of bytes.values()) parse(content);
  parseMs.push(performance.now() - start);
}
const perSecond = (ms: number) => Math.round(rows / (ms / 1000));

// The round trip, on the default set: what a consumer's code does after provisioning.
const simulator = await startSimulator({ clock: "virtual" });
const roundTripMs: number[] = [];
const uploadMs: number[] = [];
try {
  const client = createSynchronizationProfilesClient({
    baseUrl: `${simulator.url}/beta`,
    token: createTestToken({ scopes: ["EduAdministration.ReadWrite"] }),
    sleep: async (ms) => void simulator.clock.advance(ms),
  });
  const small = generateRoster({ seed: "bench" });
  for (let round = 0; round <= rounds; round += 1) {
    const { profile } = await client.createSynchronizationProfile(csvProfileRequest);
    await client.waitForProvisioning(profile.id, { intervalMs: 1000 });
    let start = performance.now();
    await client.uploadCsvFiles(profile.id, small);
    const started = await client.startAndVerify(profile.id);
    const total = performance.now() - start;
    if (!started.started) throw new Error("the default set should start");
    simulator.clock.advance(2000); // the next upload URL is not "still being processed"
    const container = new ContainerClient(await client.getSynchronizationProfileUploadUrl(profile.id));
    start = performance.now();
    for (const [name, text] of small) await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    const upload = performance.now() - start;
    // The first round starts Azurite and warms the SDK: it is not counted.
    if (round > 0) {
      roundTripMs.push(total);
      uploadMs.push(upload);
    }
  }
} finally {
  await simulator.close();
}

console.log(
  `CSV verification, ${rows.toLocaleString("en-US")} rows (${students.toLocaleString("en-US")} students), median of ${rounds} round(s)`,
);
console.log(`${"".padEnd(34)}${"verifyRoster".padStart(14)}${"csv-parse".padStart(14)}`);
console.log(
  `${"rows/s".padEnd(34)}${String(perSecond(median(verifyMs))).padStart(14)}${String(perSecond(median(parseMs))).padStart(14)}`,
);
console.log(`verifyRoster/csv-parse: ${(median(parseMs) / median(verifyMs)).toFixed(2)}x`);
console.log(`upload + start round trip (6 files, default set), median of ${rounds} round(s)`);
console.log(`${"".padEnd(34)}${"upload+start".padStart(14)}${"upload".padStart(14)}`);
console.log(
  `${"ms".padEnd(34)}${median(roundTripMs).toFixed(0).padStart(14)}${median(uploadMs).toFixed(0).padStart(14)}`,
);
console.log(`upload+start/upload: ${(median(roundTripMs) / median(uploadMs)).toFixed(2)}x`);
