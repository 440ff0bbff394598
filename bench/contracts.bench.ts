/**
 * The contract tiers' cost: wall time of the consumer suite (`npm run test:contract`) and of
 * provider verification (`npm run verify`), each measured as a whole process, and check-pact's
 * time per 1,000 interactions (the kit's 18, repeated), in one run.
 *
 *   npm run bench:contracts
 *   npm run bench:contracts -- --rounds 1
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/package-root.js";
import { checkPact } from "../src/pact/check-pact.js";
import { readPact } from "../src/pact/pact-file.js";
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

const wallMs = (script: string) => {
  const start = performance.now();
  try {
    execFileSync("npm", ["run", "-s", script], {
      cwd: packageRoot,
      stdio: "pipe",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PACT_DO_NOT_TRACK: "true" },
    });
  } catch (error) {
    // A failed run says why: the last lines of what it printed, not only its exit code.
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const said = `${stdout?.toString() ?? ""}${stderr?.toString() ?? ""}`.trimEnd().split("\n").slice(-40).join("\n");
    throw new Error(`npm run ${script} failed:\n${said}`);
  }
  return performance.now() - start;
};

const pactPath = join(packageRoot, "contracts", "pacts", "sds-contract-kit-client-sds-synchronization-profiles.json");
const pact = JSON.parse(readFileSync(pactPath, "utf8")) as { interactions: unknown[] };
const thousand = {
  ...pact,
  interactions: Array.from({ length: 1000 }, (_, i) => pact.interactions[i % pact.interactions.length]),
};
const thousandText = JSON.stringify(thousand);
checkPact(readPact(thousandText, "warm-up")); // compile the validators once, as any real run does first

const consumer: number[] = [];
const verify: number[] = [];
const check: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  consumer.push(wallMs("test:contract"));
  verify.push(wallMs("verify"));
  const start = performance.now();
  const findings = checkPact(readPact(thousandText, "1000 interactions"));
  check.push(performance.now() - start);
  // Its only findings are the warnings for reads of state and status, which Microsoft's model makes nullable.
  if (findings.some((finding) => finding.severity === "error")) throw new Error("the kit's pact should have no errors");
}

console.log(`contract tiers, median of ${rounds} round(s)`);
console.log(`${"consumer suite (18 interactions)".padEnd(40)}${median(consumer).toFixed(0).padStart(8)} ms`);
console.log(`${"provider verification (simulator, Prism)".padEnd(40)}${median(verify).toFixed(0).padStart(8)} ms`);
console.log(`${"check-pact per 1,000 interactions".padEnd(40)}${median(check).toFixed(0).padStart(8)} ms`);
