/**
 * Load and soak: the simulator, the sandbox (two simulator replicas on one PostgreSQL, the
 * connections split between them) and the Prism mock, each in processes of its own, under a mix of
 * requests for `--seconds` (60) at each of `--connections` (10, then 50: a comma-separated list):
 * creates, status polls, list pages, bodies that break the spec (400) and unknown ids (404), over
 * 8 tenants. Reports every answer that was not the one expected and every socket error (a run
 * with any exits non-zero), request counts, p50/p99 latency, throughput, and each server's
 * resident memory sampled through the run (start, end, highest, and growth over the second half,
 * held to 32 MB for the simulator; the sandbox's is its two replicas' added up, PostgreSQL's not
 * counted). The simulator's per-tenant cap (`--max-profiles`, 1000) is what bounds its memory: once a tenant is full its creates answer 403 quotaLimitReached, an expected
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
import { startTestPostgres, type TestPostgres } from "../test/support/postgres.js";
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
  /** Replicas on one fresh PostgreSQL database (started for the run), or one process with its own store. */
  replicas?: number;
}
const bin = join(packageRoot, "bin/sds-kit.js");
const sandboxName = "PostgreSQL ×2";
const servers: Server[] = [
  // As a user starts it: request validation and token checks on, the default cap of 1000 a tenant.
  { name: "simulator", stateful: true, args: [bin, "simulate", "--port", "0"] },
  // As a sandbox runs: the same, with its JSON logs and metrics on (logs are drained, not kept).
  { name: sandboxName, stateful: true, args: [bin, "simulate", "--port", "0"], replicas: 2 },
  { name: "Prism mock", stateful: false, args: [bin, "mock", "--port", "0"] },
];

interface Launched {
  /** Where to send requests: autocannon splits the connections between them, each keeping to one. */
  urls: string[];
  children: ChildProcess[];
  /** The processes whose memory is the server's: the simulator or its replicas; the mock's façade and Prism. */
  pids: number[];
  stop(): Promise<void>;
}

/** Starts a server and reads its URL (and Prism's PID) from its listening line. */
async function launchOne(args: string[], name: string): Promise<{ url: string; child: ChildProcess; pids: number[] }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let listening: RegExpExecArray | null = null;
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (listening) break;
  }
  const url = listening?.[1];
  if (!url) {
    await stopChild(child);
    throw new Error(`${name} exited without printing its URL`);
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout?.resume();
  const prismPid = /Prism PID (\d+)/.exec(listening?.input ?? "")?.[1];
  return { url, child, pids: [child.pid ?? -1, ...(prismPid === undefined ? [] : [Number(prismPid)])] };
}

/** One PostgreSQL for the whole run, started when the sandbox first needs it; each run gets a fresh database. */
let postgres: TestPostgres | undefined;

/** Starts a server: one process, or its replicas on a fresh database. */
async function launch(server: Server): Promise<Launched> {
  const started: Awaited<ReturnType<typeof launchOne>>[] = [];
  try {
    let args = server.args;
    if (server.replicas !== undefined) {
      postgres ??= await startTestPostgres();
      args = [...args, "--store", await postgres.createDatabase()];
    }
    for (let i = 0; i < (server.replicas ?? 1); i += 1) started.push(await launchOne(args, server.name));
  } catch (error) {
    for (const { child } of started) await stopChild(child);
    throw error;
  }
  return {
    urls: started.map(({ url }) => url),
    children: started.map(({ child }) => child),
    pids: started.flatMap(({ pids }) => pids),
    async stop() {
      for (const { child } of started) await stopChild(child);
    },
  };
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
    const seeded = await seedTenants(launched.urls[0] ?? "", tenants);
    const { requests, tally } = loadMix(server, seeded);
    // About 60 samples a run, at most one a second, at least one every 50 ms.
    const sampler = sampleRss(launched.pids, Math.min(1000, Math.max(50, (seconds * 1000) / 60)));
    const result = await autocannon({
      // autocannon takes several URLs and gives each connection one (its README, and lib/url.js);
      // @types/autocannon types `url` as one string only.
      url: (launched.urls.length === 1 ? launched.urls[0] : launched.urls) as string,
      connections,
      duration: seconds,
      requests,
    });
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
    await launched.stop();
  }
}

console.log(`load and soak: ${seconds} s per run; each connection repeats ${cycle.join(", ")}; ${tenants} tenants`);
console.log(`${sandboxName}: two sds-kit simulate --store postgres://… replicas, the connections split between them`);
let failed = false;
try {
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
} finally {
  await postgres?.remove();
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
  const sandbox = rows.get(sandboxName);
  if (!sandbox) return;
  console.log(
    `${sandboxName}/simulator: throughput ${(sandbox.perSecond / (sim.perSecond || Number.NaN)).toFixed(2)}x, p99 ${(sandbox.p99Ms / (sim.p99Ms || Number.NaN)).toFixed(2)}x`,
  );
}
