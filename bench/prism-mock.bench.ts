/**
 * The Prism mock, Prism alone (no Graph façade) and a bare node:http server returning the same
 * JSON, side by side in one run: start time (spawn to the first 202 from create) and, at 10
 * connections, requests per second and p50/p99 latency for create and for status.
 *
 *   npm run bench:mock                                   # 10 s per load run, median of 3 starts
 *   npm run bench:mock -- --seconds 2 --starts 1         # a quick look
 */
import { compareServers, readSettings } from "./support/compare.js";
import { bareServer, prismAlone, prismMock } from "./support/servers.js";

await compareServers([prismMock, prismAlone, bareServer], bareServer.name, readSettings());
