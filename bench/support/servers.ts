import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";
import { findFreePort } from "../../src/process/child-process.js";
import type { BenchServer } from "./compare.js";

const createPath = "/education/synchronizationProfiles";
const documentedStatusPath = "/education/synchronizationProfiles/86904b1e-c7d0-4ead-b13a-98f11fc400ee/profileStatus";
const createBody = JSON.stringify(
  JSON.parse(readFileSync(join(packageRoot, "spec/examples/createSynchronizationProfile.request.json"), "utf8")).value,
);
const bin = join(packageRoot, "bin/sds-kit.js");

function requests(authorization: string, extra: Record<string, string> = {}) {
  return {
    create: {
      path: createPath,
      init: {
        method: "POST",
        headers: { authorization, "content-type": "application/json", ...extra },
        body: createBody,
      },
    },
    status: { path: documentedStatusPath, init: { method: "GET", headers: { authorization } } },
  };
}

/** A bare node:http server returning the same JSON: the baseline. */
export const bareServer: BenchServer = {
  name: "bare node:http",
  launch: async () => ({ args: [join(packageRoot, "bench/support/canned-server.mjs")] }),
  requests: { create: requests("Bearer bench").create, status: () => requests("Bearer bench").status },
};

/** A bare node:http server that parses, stores and re-serialises a create: the floor for a stateful create. */
export const parseAndStoreServer: BenchServer = {
  name: "parse+store",
  launch: async () => ({ args: [join(packageRoot, "bench/support/parse-store-server.mjs")] }),
  requests: { create: requests("Bearer bench").create, status: () => requests("Bearer bench").status },
};

export const prismMock: BenchServer = {
  name: "Prism mock",
  launch: async () => ({ args: [bin, "mock", "--port", "0"] }),
  requests: { create: requests("Bearer bench").create, status: () => requests("Bearer bench").status },
};

/** Prism with no façade; told to answer create with 202 (alone it picks the lowest 2xx, 201). */
export const prismAlone: BenchServer = {
  name: "Prism alone",
  launch: async () => {
    const port = await findFreePort();
    const cli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
    const spec = join(packageRoot, "generated/prism-openapi.json");
    return {
      args: [
        cli,
        "mock",
        spec,
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-v",
        "fatal",
        "--json-schema-faker-fillProperties=false",
      ],
      url: `http://127.0.0.1:${port}`,
    };
  },
  requests: {
    create: requests("Bearer bench", { prefer: "code=202" }).create,
    status: () => requests("Bearer bench").status,
  },
};

/** The simulator with request validation and token checks on; status reads a profile it created. */
const simulatorToken = `Bearer ${createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "bench" })}`;
export const simulator: BenchServer = {
  name: "simulator",
  launch: async () => ({ args: [bin, "simulate", "--port", "0", "--max-profiles", "10000000"] }),
  requests: {
    create: requests(simulatorToken).create,
    status: async (url) => {
      const { create, status } = requests(simulatorToken);
      const created = (await (await fetch(`${url}${create.path}`, create.init)).json()) as { id: string };
      return { ...status, path: `${createPath}/${created.id}/profileStatus` };
    },
  },
};
