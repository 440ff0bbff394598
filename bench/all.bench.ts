/** Every benchmark, one after the other, with the same options: `npm run bench -- --seconds 2`. */
await import("./prism-mock.bench.js");
await import("./simulator.bench.js");
await import("./fixtures.bench.js");
await import("./contracts.bench.js");
await import("./conform.bench.js");
await import("./csv.bench.js");
await import("./load.bench.js");
