import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { readme } from "../support/readme.js";

const { scripts } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};

describe("README and package.json scripts", () => {
  test("every script has a row in the scripts table (prepare runs itself)", () => {
    const rows = new Set([...readme().matchAll(/^\|\s*`npm (?:run )?([\w:]+)`/gm)].map((m) => m[1]));
    expect(
      Object.keys(scripts).filter((name) => name !== "prepare" && !rows.has(name === "test" ? "test" : name)),
    ).toEqual([]);
  });

  test("every `npm run X` the README mentions is a script", () => {
    const mentioned = new Set([...readme().matchAll(/npm run (?:-s )?(\w+(?::\w+)*)/g)].map((m) => m[1] ?? ""));
    expect([...mentioned].filter((name) => !(name in scripts))).toEqual([]);
  });

  test("every sds-kit command the README mentions exists", async () => {
    const { runCli } = await import("../../src/cli/main.js");
    let usage = "";
    await runCli(["--help"], { stdout: { write: (chunk: string) => (usage += chunk) }, stderr: { write: () => true } });
    const commands = new Set([...readme().matchAll(/sds-kit ([a-z-]+)/g)].map((m) => m[1] ?? ""));
    commands.delete("check-pact"); // named as still to come
    for (const command of commands) expect(usage, command).toMatch(new RegExp(`^  ${command} `, "m"));
  });
});
