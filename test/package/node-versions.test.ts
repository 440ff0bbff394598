import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";

const run = promisify(execFile);
/** Set by scripts/test-node-versions.sh to the version it put first on PATH. */
const expected = process.env.SDS_KIT_EXPECT_NODE;

describe("Node versions", () => {
  test("the node on PATH (npm, tsx, bins) and process.execPath (spawned servers and CLIs) are the running one", async () => {
    const onPath = await run("node", ["--version"]);
    const execPath = await run(process.execPath, ["--version"]);
    expect([onPath.stdout.trim(), execPath.stdout.trim()]).toEqual([process.version, process.version]);
  });

  test.skipIf(expected === undefined)("under scripts/test-node-versions.sh: the Node it asked for", () => {
    expect(process.version).toBe(expected);
  });
});
