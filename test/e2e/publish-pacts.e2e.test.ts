import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";

const publish = (env: Record<string, string>, ...args: string[]) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PACT_BROKER_")));
  return promisify(execFile)("npm", ["run", "-s", "pact:publish", "--", ...args], {
    cwd: packageRoot,
    env: { ...clean, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
};

describe("npm run pact:publish", () => {
  test("--dry-run checks the configuration and prints the command, keeping the token off it", async () => {
    const result = await publish(
      { PACT_BROKER_BASE_URL: "https://broker.example.test", PACT_BROKER_TOKEN: "s3cr3t" },
      "--dry-run",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^would publish 1 pact file\(s\): sds-contract-kit-client-sds-synchronization-profiles\.json$/m,
    );
    expect(result.stdout).toContain(
      `pact-broker publish ${join(packageRoot, "contracts", "pacts")} --broker-base-url https://broker.example.test --consumer-app-version 0.1.0`,
    );
    expect(result.stdout).toContain("(credentials from PACT_BROKER_TOKEN)");
    expect(result.stdout).not.toContain("s3cr3t");
  }, 30_000);

  test.each([
    [{}, "PACT_BROKER_BASE_URL is not set"],
    [{ PACT_BROKER_BASE_URL: "broker.example.test", PACT_BROKER_TOKEN: "t" }, "is not an http(s) URL"],
    [
      { PACT_BROKER_BASE_URL: "https://broker.example.test" },
      "set PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD",
    ],
  ])(
    "%j: one line and exit 1",
    async (env, message) => {
      const result = await publish(env as Record<string, string>, "--dry-run");
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`pact:publish: ${result.stderr.trim().slice("pact:publish: ".length)}`);
      expect(result.stderr).toContain(message);
    },
    30_000,
  );

  test("the Pact CLI it runs is installed and knows the publish options used", async () => {
    const { stdout } = await promisify(execFile)(join(packageRoot, "node_modules", ".bin", "pact-broker"), [
      "publish",
      "--help",
    ]);
    for (const option of ["--broker-base-url", "--consumer-app-version", "--branch", "--broker-token"])
      expect(stdout).toContain(option);
  });
});
