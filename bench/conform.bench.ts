/**
 * How long a full conformance run takes: every group at the kit level, against the simulator in
 * process on a virtual clock (the suite's own cost: its waits move the clock, they take no time)
 * and against the Prism mock over HTTP (what a team pointing it at a stand-in meets), in one run.
 *
 *   npm run bench:conform
 *   npm run bench:conform -- --rounds 1
 */
import { parseArgs } from "node:util";
import { startPrismMock } from "../mocks/prism/start-prism-mock.js";
import { createSimulator } from "../mocks/simulator/create-simulator.js";
import { conformanceSummary } from "../src/conform/conformance-report.js";
import { runConformance } from "../src/conform/run-conformance.js";
import { median } from "./support/measure.js";

// --seconds, --starts and --connections belong to the other benchmarks; `npm run bench` passes every option to each.
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string" },
    starts: { type: "string" },
    connections: { type: "string" },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds <= 0) {
  console.error("bench: --rounds takes a whole number above 0");
  process.exit(2);
}

const simulatorMs: number[] = [];
const prismMs: number[] = [];
const summaries = new Set<string>();
const mock = await startPrismMock();
try {
  for (let round = 0; round < rounds; round += 1) {
    const sim = createSimulator({ clock: "virtual", seed: round + 1 });
    let start = performance.now();
    const report = await runConformance({
      fetch: (request) => sim.fetch(request),
      level: "kit",
      sleep: async (ms) => void sim.clock.advance(ms),
    });
    simulatorMs.push(performance.now() - start);
    summaries.add(`simulator: ${conformanceSummary(report)}`);
    start = performance.now();
    const prism = await runConformance({ baseUrl: mock.url, level: "kit" });
    prismMs.push(performance.now() - start);
    summaries.add(`Prism mock: ${conformanceSummary(prism)}`);
  }
} finally {
  await mock.close();
}

console.log(`conformance runs at the kit level, median of ${rounds} round(s)`);
console.log(`${"simulator (in process, virtual clock)".padEnd(40)}${median(simulatorMs).toFixed(0).padStart(8)} ms`);
console.log(`${"Prism mock (HTTP)".padEnd(40)}${median(prismMs).toFixed(0).padStart(8)} ms`);
for (const summary of summaries) console.log(summary);
