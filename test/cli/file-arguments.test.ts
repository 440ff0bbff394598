import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { maxInputBytes, readInputStream } from "../../src/cli/files.js";
import { runCliCaptured } from "../support/run-cli.js";

const run = runCliCaptured;

const scratch = mkdtempSync(join(tmpdir(), "sds-file-args-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const at = (name: string) => join(scratch, name);
const files = {
  missing: at("missing.json"),
  // As root, chmod 000 is no obstacle; a directory where a file should be is one for anyone.
  directory: (() => {
    mkdirSync(at("a-directory.json"));
    return at("a-directory.json");
  })(),
  underAFile: (() => {
    writeFileSync(at("plain"), "{}");
    return join(at("plain"), "x.json");
  })(),
  // Sparse: 51 MB by its size, nothing on disk.
  huge: (() => {
    writeFileSync(at("huge.json"), "");
    truncateSync(at("huge.json"), maxInputBytes + 1024 * 1024);
    return at("huge.json");
  })(),
  notJson: (() => {
    writeFileSync(at("not-json.json"), "<html>a proxy's error page</html>");
    return at("not-json.json");
  })(),
};

const readers: [string, (file: string) => string[]][] = [
  ["validate", (file) => ["validate", "createSynchronizationProfile", "request", file]],
  ["check-pact", (file) => ["check-pact", file]],
  ["verify", (file) => ["verify", "--provider-base-url", "http://127.0.0.1:9", "--pact", file]],
];
const writers: [string, (file: string) => string[]][] = [
  ["fixtures", (file) => ["fixtures", "createSynchronizationProfile", "--out", file]],
  ["conform", (file) => ["conform", "--base-url", "http://127.0.0.1:9", "--out", file]],
];

describe("a file a command reads", () => {
  const cases = readers.flatMap(([command, args]) => [
    [
      command,
      "missing",
      args(files.missing),
      /cannot read (payload|pact file) .*missing\.json: there is no such file$/,
    ],
    [
      command,
      "a directory",
      args(files.directory),
      /cannot read (payload|pact file) .*a-directory\.json: it is a directory$/,
    ],
    [command, "under a file", args(files.underAFile), /cannot read .*x\.json: a part of its path is not a directory$/],
    [command, "over 50 MB", args(files.huge), /huge\.json is 51\.0 MB, over the 50\.0 MB limit$/],
    [command, "not JSON", args(files.notJson), /not-json\.json is not JSON: /],
  ]) as [string, string, string[], RegExp][];

  test.each(cases)("%s, %s: one line on stderr, exit 2", async (command, _case, args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^sds-kit ${command}: `));
    expect(lines[0]).toMatch(message);
  });

  test("standard input over the limit is refused as soon as it passes it", async () => {
    let offered = 0;
    async function* endless() {
      for (;;) {
        offered += 1;
        yield Buffer.alloc(1024);
      }
    }
    await expect(readInputStream(endless(), "standard input", 10 * 1024)).rejects.toThrow(
      "standard input is over the 0.0 MB limit",
    );
    expect(offered).toBe(11);
  });
});

describe("a file a command writes", () => {
  const cases = writers.flatMap(([command, args]) => [
    [command, "a directory", args(files.directory), /cannot write .*a-directory\.json: it is a directory$/],
    [
      command,
      "in a missing folder",
      args(join(scratch, "no-such-folder", "out.json")),
      /no-such-folder.*(no such file|cannot be used)/,
    ],
    [command, "under a file", args(files.underAFile), /cannot write .*x\.json: /],
  ]) as [string, string, string[], RegExp][];

  test.each(cases)("%s, %s: one line on stderr, exit 2", async (command, _case, args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    const lines = stderr.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^sds-kit ${command}: `));
    expect(lines[0]).toMatch(message);
  });
});
