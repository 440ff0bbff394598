/**
 * The simulator (request validation and token checks on), the Prism mock, a bare node:http
 * server that only parses, stores and re-serialises a create, and one returning canned JSON,
 * side by side in one run: start time (spawn to the first 202
 * from create) and, at 10 connections, requests per second and p50/p99 latency for create and
 * status. The targets: start within 10% of Prism's; at least 50% of bare and 5x Prism.
 *
 *   npm run bench:simulator
 *   npm run bench:simulator -- --seconds 2 --starts 1
 */
import { compareServers, readSettings } from "./support/compare.js";
import { bareServer, parseAndStoreServer, prismMock, simulator } from "./support/servers.js";

const rows = await compareServers(
  [simulator, prismMock, parseAndStoreServer, bareServer],
  bareServer.name,
  readSettings(),
);
const sim = rows.get(simulator.name) ?? {};
const prism = rows.get(prismMock.name) ?? {};
const per = (metric: string) => ((sim[metric] ?? 0) / (prism[metric] || Number.NaN)).toFixed(2);
console.log(
  `simulator/Prism mock: start ${per("start ms")}x, create ${per("create req/s")}x, status ${per("status req/s")}x`,
);
