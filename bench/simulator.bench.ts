/**
 * The simulator (request validation and token checks on), the Prism mock, a bare node:http
 * server that only parses, stores and re-serialises a create, and one returning canned JSON,
 * side by side in one run: start time (spawn to the first 202
 * from create) and, at 10 connections, requests per second and p50/p99 latency for create and
 * status. The kit's targets: start within 10% of Prism's; 5x Prism's rates; status at least half
 * the canned baseline's; create at least half the parse+store baseline's (the unavoidable work of
 * a stateful create).
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
const ratio = (metric: string, server: string) =>
  ((sim[metric] ?? 0) / (rows.get(server)?.[metric] || Number.NaN)).toFixed(2);
console.log(
  `simulator/Prism mock: start ${ratio("start ms", prismMock.name)}x, create ${ratio("create req/s", prismMock.name)}x, status ${ratio("status req/s", prismMock.name)}x`,
);
console.log(
  `targets: status ${ratio("status req/s", bareServer.name)}x bare (>= 0.50), create ${ratio("create req/s", parseAndStoreServer.name)}x parse+store (>= 0.50)`,
);
