/**
 * Valid fixtures per second from the kit's wrapper (generation, validation, retries) against raw
 * json-schema-faker on the same schema with the same options, side by side in one run, rounds
 * alternating so that both see the same machine. The target: at least 0.9x raw's rate.
 *
 *   npm run bench:fixtures
 *   npm run bench:fixtures -- --seconds 2
 */
import { parseArgs } from "node:util";
import { fixtureTarget, generationDocument } from "../src/fixtures/fixture-targets.js";
import { generateFixtures } from "../src/fixtures/generate-fixtures.js";
import { fakeFromSchema } from "../src/fixtures/seeded-faker.js";

const { values } = parseArgs({
  // --starts, --connections and --rounds belong to the other benchmarks; `npm run bench` passes every option to each.
  options: {
    seconds: { type: "string", default: "10" },
    starts: { type: "string" },
    connections: { type: "string" },
    rounds: { type: "string" },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) {
  console.error("bench: --seconds takes a number above 0");
  process.exit(2);
}

const names = [
  "createSynchronizationProfile",
  "EducationSynchronizationProfile",
  "EducationSynchronizationProfileStatus",
];
const rounds = 10;
const roundMs = (seconds * 1000) / rounds / 2 / names.length;

console.log(`fixtures per second, ${rounds} alternating rounds of ${roundMs.toFixed(0)} ms each per schema`);
console.log(`${"schema".padEnd(40)}${"kit".padStart(10)}${"raw jsf".padStart(10)}${"kit/raw".padStart(10)}`);
for (const name of names) {
  const target = fixtureTarget(name);
  const document = generationDocument(false);
  let kit = 0;
  let raw = 0;
  let kitMs = 0;
  let rawMs = 0;
  for (let round = 0; round < rounds; round += 1) {
    let start = performance.now();
    while (performance.now() - start < roundMs) {
      generateFixtures(name, { seed: round + 1, offset: kit, count: 10 });
      kit += 10;
    }
    kitMs += performance.now() - start;
    start = performance.now();
    while (performance.now() - start < roundMs) {
      for (let i = 0; i < 10; i += 1) fakeFromSchema(target.schema, document, raw + i);
      raw += 10;
    }
    rawMs += performance.now() - start;
  }
  const kitRate = (kit / kitMs) * 1000;
  const rawRate = (raw / rawMs) * 1000;
  console.log(
    `${name.padEnd(40)}${kitRate.toFixed(0).padStart(10)}${rawRate.toFixed(0).padStart(10)}${`${(kitRate / rawRate).toFixed(2)}x`.padStart(10)}`,
  );
}
