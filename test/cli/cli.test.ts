import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { runCliCaptured } from "../support/run-cli.js";

const run = runCliCaptured;

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };

describe("sds-kit", () => {
  test.each([["--version"], ["-v"]])("%s prints the package version", async (flag) => {
    expect(await run([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  test.each([["--help"], ["-h"], ["help"]])("%s prints usage and exits 0", async (flag) => {
    const result = await run([flag]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sds-kit <command> \[options\]/);
  });

  test("no command prints usage to stderr and exits 2", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Usage: sds-kit/);
  });

  test("an unknown command is one line on stderr and exit 2", async () => {
    const result = await run(["frobnicate"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "sds-kit: unknown command 'frobnicate'. Run 'sds-kit --help' for the list.\n",
    });
  });
});

describe("sds-kit --level", () => {
  test.each([
    ["check-pact", "contracts/pacts/sds-contract-kit-client-sds-synchronization-profiles.json"],
    ["verify", "--provider-base-url=http://127.0.0.1:1"],
  ])("%s refuses a level that does not exist, in one line, exit 2", async (command, argument) => {
    const result = await run([command, argument, "--level", "strictest"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `sds-kit ${command}: --level must be documented, observed or kit, got 'strictest'\n`,
    });
  });

  test("check-pact says which level it held", async () => {
    const pact = join(packageRoot, "contracts", "pacts", "sds-contract-kit-client-sds-synchronization-profiles.json");
    for (const level of ["documented", "kit"]) {
      const result = await run(["check-pact", pact, "--level", level]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`: 0 error\\(s\\), \\d+ warning\\(s\\) at the ${level} level\\n$`));
    }
  });
});

describe("every command's --help", () => {
  const commandNames = ["mock", "simulate", "fixtures", "verify", "check-pact", "conform", "token", "validate", "docs"];

  test("the top-level usage lists exactly these commands", async () => {
    const { stdout } = await run(["--help"]);
    for (const name of commandNames) expect(stdout).toMatch(new RegExp(`^  ${name}\\s`, "m"));
  });

  test.each(commandNames)("sds-kit %s --help shows examples that use only options it documents", async (name) => {
    const { code, stdout } = await run([name, "--help"]);
    expect(code).toBe(0);
    const [options, examples] = stdout.split(/^Examples:$/m);
    const lines = (examples ?? "").split("\n").filter((line) => line.includes(`sds-kit ${name}`));
    expect(lines.length, "at least one example of the command itself").toBeGreaterThan(0);
    for (const line of lines) {
      const invocation = line.slice(line.indexOf(`sds-kit ${name}`)).split(/\s[|>#]\s?/)[0] ?? "";
      for (const flag of invocation.match(/(?<=\s)--[\w-]+/g) ?? []) {
        expect(options, `${flag} in '${line.trim()}'`).toMatch(new RegExp(`^\\s+${flag}\\b`, "m"));
      }
    }
  });
});
