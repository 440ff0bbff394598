/**
 * Load and soak: the simulator and the Prism mock, each in its own process, under a mix of
 * requests for `--seconds` (60) at each of `--connections` (10, then 50: a comma-separated list):
 * creates, status polls, list pages, bodies that break the spec (400) and unknown ids (404), over
 * 8 tenants. Reports every answer that was not the one expected and every socket error (a run
 * with any exits non-zero), request counts, p50/p99 latency, throughput, and each server's
 * resident memory sampled through the run (start, end, highest, and growth over the second half,
 * held to 32 MB for the simulator). The simulator's per-tenant cap (`--max-profiles`, 1000) is what
 * bounds its memory: once a tenant is full its creates answer 403 quotaLimitReached, an expected
 * answer here. Prism keeps nothing, so it gets the same requests, with `Prefer: code=404` for the
 * unknown id.
 *
 *   npm run bench:load                                   # 60 s at 10, then at 50 connections
 *   npm run bench:load -- --seconds 2 --connections 2    # a quick look
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { packageRoot } from "../src/package-root.js";
import { stopChild } from "../src/process/child-process.js";
import { answerKinds, cycle, type LoadTarget, loadMix, seedTenants } from "./support/load-mix.js";
import { type RssSummary, sampleRss } from "./support/rss.js";

const tenants = 8;
/**
 * The most the simulator's RSS may rise over the second half of a run, once its tenants are full.
 * Its live heap after a full collection is about 25 MB then, and V8 lets the old generation grow by
 * about as much again before collecting, so RSS can rise that far and fall back with no leak; a leak
 * of even 1 KB a request would add 60 MB or more in 30 s at this mix's rates.
 */
const rssBoundMb = 32;

// --starts and --rounds belong to the other benchmarks; `npm run bench` passes every option to each.
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "10,50" },
    starts: { type: "string" },
    rounds: { type: "string" },
  },
});
const seconds = Number(values.seconds);
const connectionCounts = values.connections.split(",").map(Number);
if (!(seconds > 0) || !connectionCounts.every((n) => Number.isInteger(n) && n > 0)) {
  console.error("bench: --seconds takes a number above 0; --connections whole numbers above 0, comma-separated");
  process.exit(2);
}

interface Server extends LoadTarget {
  args: string[];
}
const bin = join(packageRoot, "bin/sds-kit.js");
const servers: Server[] = [
  // As a user starts it: request validation and token checks on, the default cap of 1000 a tenant.
  { name: "simulator", stateful: true, args: [bin, "simulate", "--port", "0"] },
  { name: "Prism mock", stateful: false, args: [bin, "mock", "--port", "0"] },
];

interface Launched {
  url: string;
  child: ChildProcess;
  /** The processes whose memory is the server's: the simulator; the mock's façade and Prism. */
  pids: number[];
}

/** Starts a server and reads its URL (and Prism's PID) from its listening line. */
async function launch(server: Server): Promise<Launched> {
  const child = spawn(process.execPath, server.args, { stdio: ["ignore", "pipe", "inherit"] });
  let listening: RegExpExecArray | null = null;
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (listening) break;
  }
  const url = listening?.[1];
  if (!url) {
    await stopChild(child);
    throw new Error(`${server.name} exited without printing its URL`);
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout?.resume();
  const prismPid = /Prism PID (\d+)/.exec(listening?.input ?? "")?.[1];
  return { url, child, pids: [child.pid ?? -1, ...(prismPid === undefined ? [] : [Number(prismPid)])] };
}

interface Row {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
  socketErrors: number;
  answers: Map<string, number>;
  rss: RssSummary;
  examples: string[];
}

async function run(server: Server, connections: number): Promise<Row> {
  const launched = await launch(server);
  try {
    const seeded = await seedTenants(launched.url, tenants);
    const { requests, tally } = loadMix(server, seeded);
    // About 60 samples a run, at most one a second, at least one every 50 ms.
    const sampler = sampleRss(launched.pids, Math.min(1000, Math.max(50, (seconds * 1000) / 60)));
    const result = await autocannon({ url: launched.url, connections, duration: seconds, requests });
    const rss = await sampler.stop();
    return {
      requests: result.requests.total,
      perSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      unexpected: tally.unexpected,
      socketErrors: result.errors,
      answers: tally.answers,
      rss,
      examples: tally.examples,
    };
  } finally {
    await stopChild(launched.child);
  }
}

console.log(`load and soak: ${seconds} s per run; each connection repeats ${cycle.join(", ")}; ${tenants} tenants`);
let failed = false;
for (const connections of connectionCounts) {
  const rows = new Map<string, Row>();
  for (const server of servers) rows.set(server.name, await run(server, connections));
  printTable(connections, rows);
  for (const [name, row] of rows) {
    if (row.unexpected + row.socketErrors > 0) {
      failed = true;
      console.error(`${name}: ${row.unexpected} unexpected answer(s), ${row.socketErrors} socket error(s)`);
      for (const example of row.examples) console.error(`  ${example}`);
    }
  }
}
if (failed) {
  console.error("bench: unexpected answers or socket errors under load; the figures would mean nothing");
  process.exit(1);
}

function printTable(connections: number, rows: Map<string, Row>): void {
  const names = [...rows.keys()];
  const cells = (pick: (row: Row) => string) => names.map((n) => pick(rows.get(n) as Row).padStart(14)).join("");
  const line = (metric: string, pick: (row: Row) => string) => console.log(`${metric.padEnd(24)}${cells(pick)}`);
  const mb = (n: number) => n.toFixed(1);
  console.log(`${`${connections} connections`.padEnd(24)}${names.map((n) => n.padStart(14)).join("")}`);
  line("requests", (r) => String(r.requests));
  line("req/s", (r) => r.perSecond.toFixed(0));
  line("p50 ms", (r) => r.p50Ms.toFixed(1));
  line("p99 ms", (r) => r.p99Ms.toFixed(1));
  line("unexpected answers", (r) => String(r.unexpected));
  line("socket errors", (r) => String(r.socketErrors));
  for (const kind of answerKinds) line(kind, (r) => String(r.answers.get(kind) ?? 0));
  line("RSS start MB", (r) => mb(r.rss.startMb));
  line("RSS end MB", (r) => mb(r.rss.endMb));
  line("RSS max MB", (r) => mb(r.rss.maxMb));
  line("RSS 2nd-half growth MB", (r) => mb(r.rss.secondHalfGrowthMb));
  line("RSS samples", (r) => String(r.rss.samples));
  const sim = rows.get("simulator");
  const prism = rows.get("Prism mock");
  if (!sim || !prism) return;
  const growth = sim.rss.secondHalfGrowthMb;
  console.log(
    `simulator RSS growth over the second half: ${mb(growth)} MB, bound ${rssBoundMb} MB: ${growth <= rssBoundMb ? "within" : "OVER"}`,
  );
  console.log(`simulator/Prism mock: throughput ${(sim.perSecond / (prism.perSecond || Number.NaN)).toFixed(2)}x`);
}
