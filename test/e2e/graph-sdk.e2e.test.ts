import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";
import { readExample } from "../support/spec-source.js";

const run = promisify(execFile);
const script = join(packageRoot, "test", "e2e", "graph-sdk", "graph-sdk-client.ts");

let simulator: RunningSimulator;
beforeAll(async () => {
  // Provisioning finishes on the second read: the SDK's polling decides the pace, not a timer.
  simulator = await startSimulator({ https: true, provisioningReads: 2, uploads: "off" });
});
afterAll(async () => {
  await simulator?.close();
});

/** The status of a plain HTTPS GET trusting only `ca` (Node's own CAs if none), or the TLS error code. */
function tlsOutcome(ca: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const request = get(`${simulator.url}/education/synchronizationProfiles`, {
      headers: { authorization: `Bearer ${createTestToken({ scopes: ["EduAdministration.ReadWrite"] })}` },
      ...(ca === undefined ? {} : { ca }),
    });
    request.on("response", (response) => {
      response.resume();
      resolve(String(response.statusCode));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Runs the team's Graph SDK code in its own Node process, as their tests would. */
async function graphSdkRun(env: Record<string, string>): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script], {
    cwd: packageRoot,
    env: {
      ...process.env,
      SDS_BASE_URL: simulator.url,
      SDS_TOKEN: createTestToken({ scopes: ["EduAdministration.ReadWrite"] }),
      SDS_PROFILE: JSON.stringify(readExample("createSynchronizationProfile.request.power-school").value),
      ...env,
    },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("Microsoft's Graph SDK against the simulator over HTTPS, unchanged", () => {
  test("the simulator serves https and hands out its CA certificate", () => {
    expect(simulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(simulator.caCertificatePath).toMatch(/ca\.pem$/);
  });

  test("create, poll, status, and a 400 as the SDK's GraphError with Graph's code", async () => {
    const outcome = await graphSdkRun({ NODE_EXTRA_CA_CERTS: simulator.caCertificatePath ?? "" });
    expect(outcome).toEqual({
      created: { state: "provisioning" },
      polled: ["provisioning", "provisioned"],
      status: expect.any(String),
      badRequest: {
        failed: true,
        graphError: true,
        statusCode: 400,
        code: "BadRequest",
        message: expect.stringContaining("dataProvider"),
      },
    });
  }, 60_000);

  test("without the CA trusted, TLS refuses the certificate and the SDK reports a failed fetch: the trust is real", async () => {
    const untrusted = await tlsOutcome(undefined);
    expect(untrusted).toMatch(
      /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
    expect(await tlsOutcome(readFileSync(simulator.caCertificatePath ?? "", "utf8"))).toBe("200");
    const outcome = await graphSdkRun({ NODE_EXTRA_CA_CERTS: "" });
    // The SDK wraps a failed fetch in a GraphError of its own, without an HTTP status.
    expect(outcome.error).toEqual({
      failed: true,
      graphError: true,
      statusCode: -1,
      code: "TypeError",
      message: "fetch failed",
    });
  }, 60_000);

  test("without customHosts the SDK withholds its token, and the simulator answers 401 as Graph would", async () => {
    const outcome = await graphSdkRun({
      NODE_EXTRA_CA_CERTS: simulator.caCertificatePath ?? "",
      SDS_CUSTOM_HOSTS: "off",
    });
    expect(outcome.error).toMatchObject({ failed: true, graphError: true, statusCode: 401 });
  }, 60_000);
});
