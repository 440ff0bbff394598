/**
 * The Prism mock, Prism alone (no Graph façade) and a bare node:http server returning the same
 * JSON, side by side in one run: start time (spawn to the first 202 from create) and, at 10
 * connections, requests per second and p50/p99 latency for create and for status. Ratios are to
 * the bare server.
 *
 *   npm run bench:mock                                   # 10 s per load run, median of 3 starts
 *   npm run bench:mock -- --seconds 2 --starts 1         # a quick look
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/package-root.js";
import { findFreePort } from "../src/server/child-process.js";
import { load, median, spawnAndTime, stop } from "./support/measure.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    starts: { type: "string", default: "3" },
    connections: { type: "string", default: "10" },
  },
});
const seconds = Number(values.seconds);
const starts = Number(values.starts);
const connections = Number(values.connections);
if (![seconds, starts, connections].every((n) => Number.isInteger(n) && n > 0)) {
  console.error("bench: --seconds, --starts and --connections take whole numbers above 0");
  process.exit(2);
}

const example = (name: string) =>
  JSON.parse(readFileSync(join(packageRoot, "spec/examples", `${name}.json`), "utf8")).value;
const createPath = "/education/synchronizationProfiles";
const statusPath = "/education/synchronizationProfiles/86904b1e-c7d0-4ead-b13a-98f11fc400ee/profileStatus";
const auth = { authorization: "Bearer bench" };
// Prism alone answers create with the lowest 2xx (201) unless told; the façade picks 202 itself.
const requests = (prefer202: boolean) => ({
  create: {
    method: "POST",
    headers: { ...auth, "content-type": "application/json", ...(prefer202 ? { prefer: "code=202" } : {}) },
    body: JSON.stringify(example("createSynchronizationProfile.request")),
  },
  status: { method: "GET", headers: auth },
});

const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
const prismAlone = async () => {
  const port = await findFreePort();
  const args = [
    prismCli,
    "mock",
    join(packageRoot, "generated/prism-openapi.json"),
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
  ];
  return {
    args: [...args, "-v", "fatal", "--json-schema-faker-fillProperties=false"],
    url: `http://127.0.0.1:${port}`,
  };
};

const servers: { name: string; prefer202: boolean; launch: () => Promise<{ args: string[]; url?: string }> }[] = [
  {
    name: "Prism mock",
    prefer202: false,
    launch: async () => ({ args: [join(packageRoot, "bin/sds-kit.js"), "mock", "--port", "0"] }),
  },
  { name: "Prism alone", prefer202: true, launch: prismAlone },
  {
    name: "bare node:http",
    prefer202: false,
    launch: async () => ({ args: [join(packageRoot, "bench/support/canned-server.mjs")] }),
  },
];

const rows = new Map<string, Record<string, number>>();
for (const server of servers) {
  const { create, status } = requests(server.prefer202);
  const startTimes: number[] = [];
  for (let i = 0; i < starts; i += 1) {
    const { args, url } = await server.launch();
    const started = await spawnAndTime(
      process.execPath,
      args,
      { path: createPath, init: create, expectStatus: 202 },
      url,
    );
    startTimes.push(started.startMs);
    if (i < starts - 1) {
      await stop(started);
      continue;
    }
    const createLoad = await load(`${started.url}${createPath}`, create, seconds, connections);
    const statusLoad = await load(`${started.url}${statusPath}`, status, seconds, connections);
    await stop(started);
    if (createLoad.errors + createLoad.non2xx + statusLoad.errors + statusLoad.non2xx > 0) {
      throw new Error(`${server.name}: errors or non-2xx answers under load; the figures would mean nothing`);
    }
    rows.set(server.name, {
      "start ms": median(startTimes),
      "create req/s": createLoad.requestsPerSecond,
      "create p50 ms": createLoad.p50Ms,
      "create p99 ms": createLoad.p99Ms,
      "status req/s": statusLoad.requestsPerSecond,
      "status p50 ms": statusLoad.p50Ms,
      "status p99 ms": statusLoad.p99Ms,
    });
  }
}

const bare = rows.get("bare node:http") ?? {};
const fmt = (n: number | undefined) => (n === undefined ? "-" : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ratio = (n: number | undefined, base: number | undefined) =>
  n !== undefined && base ? `${(n / base).toFixed(2)}x` : "n/a";
console.log(
  `${connections} connections, ${seconds} s per load run, start time the median of ${starts}; ratios to bare node:http`,
);
console.log(
  `${"metric".padEnd(15)}${servers.map((s) => s.name.padStart(16)).join("")}${"mock/bare".padStart(11)}${"alone/bare".padStart(11)}`,
);
for (const metric of Object.keys(bare)) {
  const cells = servers.map((s) => fmt(rows.get(s.name)?.[metric]).padStart(16)).join("");
  const mockRatio = ratio(rows.get("Prism mock")?.[metric], bare[metric]).padStart(11);
  const aloneRatio = ratio(rows.get("Prism alone")?.[metric], bare[metric]).padStart(11);
  console.log(`${metric.padEnd(15)}${cells}${mockRatio}${aloneRatio}`);
}
