// A second baseline for the simulator's create: a bare node:http server that does only the
// unavoidable work of a stateful create (parse the body, store it under a new id, serialise it
// back), with no routing, auth, validation or lifecycle. Prints its URL once it listens.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const status = JSON.stringify(
  JSON.parse(
    readFileSync(new URL("../../spec/examples/getSynchronizationProfileStatus.200.json", import.meta.url), "utf8"),
  ).value,
);
const store = new Map();

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let code = 200;
    let body = status;
    if (req.method === "POST") {
      const profile = {
        state: "provisioning",
        id: randomUUID(),
        ...JSON.parse(Buffer.concat(chunks).toString("utf8")),
      };
      store.set(profile.id, profile);
      code = 202;
      body = JSON.stringify(profile);
    }
    res.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () =>
  console.log(`parse-and-store server listening on http://127.0.0.1:${server.address().port}`),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
