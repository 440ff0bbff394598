import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { sdsKit } from "../support/cli-process.js";

const run = promisify(execFile);
const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };

// The installed entry point, as a user runs it (built by `npm run build`, which `npm test` runs first).
describe("sds-kit binary", () => {
  test("--version prints the version and exits 0", async () => {
    const { stdout } = await run(process.execPath, [sdsKit, "--version"]);
    expect(stdout).toBe(`${version}\n`);
  });

  test("an unknown command exits 2 with one line on stderr", async () => {
    const failure = await run(process.execPath, [sdsKit, "nope"]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split("\n")).toHaveLength(1);
  });
});
