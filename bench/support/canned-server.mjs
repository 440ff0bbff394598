// The baseline for the mock benchmarks: a bare node:http server answering the same JSON the mock
// serves, with no routing library, validation or façade. Prints its URL once it listens.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const example = (name) =>
  JSON.stringify(JSON.parse(readFileSync(new URL(`../../spec/examples/${name}.json`, import.meta.url), "utf8")).value);
const created = example("createSynchronizationProfile.202");
const status = example("getSynchronizationProfileStatus.200");

const server = createServer((req, res) => {
  const body = req.method === "POST" ? created : status;
  req.resume();
  req.on("end", () => {
    res.writeHead(req.method === "POST" ? 202 : 200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () =>
  console.log(`canned server listening on http://127.0.0.1:${server.address().port}`),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
