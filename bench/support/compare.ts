import { parseArgs } from "node:util";
import { load, median, spawnAndTime, stop } from "./measure.js";

export interface BenchRequest {
  path: string;
  init: { method: string; headers: Record<string, string>; body?: string };
}

export interface BenchServer {
  name: string;
  /** The command line (after `node`) and, for servers that print no URL, where they listen. */
  launch(): Promise<{ args: string[]; url?: string }>;
  /** The requests as this server needs them (auth, Prefer), and the start probe's expected status. */
  requests: { create: BenchRequest; status: (url: string) => Promise<BenchRequest> | BenchRequest };
}

export interface BenchSettings {
  seconds: number;
  starts: number;
  connections: number;
}

/** `--seconds`, `--starts`, `--connections`, with defaults for a real measurement. */
export function readSettings(): BenchSettings {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "10" },
      starts: { type: "string", default: "3" },
      connections: { type: "string", default: "10" },
      // The contract benchmark's option: `npm run bench` passes every option to each benchmark.
      rounds: { type: "string" },
    },
  });
  const settings = {
    seconds: Number(values.seconds),
    starts: Number(values.starts),
    connections: Number(values.connections),
  };
  if (
    !(settings.seconds > 0) ||
    !Number.isInteger(settings.starts) ||
    !Number.isInteger(settings.connections) ||
    settings.starts < 1 ||
    settings.connections < 1
  ) {
    console.error("bench: --seconds takes a number above 0; --starts and --connections whole numbers above 0");
    process.exit(2);
  }
  return settings;
}

/**
 * Measures every server side by side in one run: start time (spawn to the first 202 from create,
 * the median of `starts`), then create and status under load at `connections`. Prints a table
 * with each server's figures and its ratio to `baseline`.
 */
export async function compareServers(
  servers: BenchServer[],
  baseline: string,
  settings: BenchSettings,
): Promise<Map<string, Record<string, number>>> {
  const rows = new Map<string, Record<string, number>>();
  for (const server of servers) {
    const startTimes: number[] = [];
    for (let i = 0; i < settings.starts; i += 1) {
      const { args, url } = await server.launch();
      const create = server.requests.create;
      const started = await spawnAndTime(
        process.execPath,
        args,
        { path: create.path, init: create.init, expectStatus: 202 },
        url,
      );
      startTimes.push(started.startMs);
      if (i < settings.starts - 1) {
        await stop(started);
        continue;
      }
      const status = await server.requests.status(started.url);
      const createLoad = await load(
        `${started.url}${create.path}`,
        create.init,
        settings.seconds,
        settings.connections,
      );
      const statusLoad = await load(
        `${started.url}${status.path}`,
        status.init,
        settings.seconds,
        settings.connections,
      );
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
  printTable(
    servers.map((s) => s.name),
    rows,
    baseline,
    settings,
  );
  return rows;
}

function printTable(
  names: string[],
  rows: Map<string, Record<string, number>>,
  baseline: string,
  settings: BenchSettings,
): void {
  const base = rows.get(baseline) ?? {};
  const others = names.filter((name) => name !== baseline);
  const fmt = (n: number | undefined) => (n === undefined ? "-" : n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const ratio = (n: number | undefined, b: number | undefined) =>
    n !== undefined && b ? `${(n / b).toFixed(2)}x` : "n/a";
  console.log(
    `${settings.connections} connections, ${settings.seconds} s per load run, start time the median of ${settings.starts}; ratios to ${baseline}`,
  );
  console.log(
    `${"metric".padEnd(15)}${names.map((n) => n.padStart(16)).join("")}${others.map((n) => `${n}/base`.padStart(22)).join("")}`,
  );
  for (const metric of Object.keys(base)) {
    const cells = names.map((n) => fmt(rows.get(n)?.[metric]).padStart(16)).join("");
    const ratios = others.map((n) => ratio(rows.get(n)?.[metric], base[metric]).padStart(22)).join("");
    console.log(`${metric.padEnd(15)}${cells}${ratios}`);
  }
}
