import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createTestToken } from "../../src/auth/test-token.js";
import { exitOf, linesUntil, sdsKit, spawnTracked } from "../support/cli-process.js";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshDirectory = () => {
  const dir = mkdtempSync(join(tmpdir(), "sds-https-cli-"));
  scratch.push(dir);
  return dir;
};

/** The https URL it listens on and the CA path it printed before that line. */
async function started(child: ChildProcess): Promise<{ url: string; caPath: string | undefined }> {
  const { match, lines } = await linesUntil(child, /listening on (https:\/\/\S+)/);
  const trust = lines.map((line) => /^CA certificate: (\S+) \(trust it with NODE_EXTRA_CA_CERTS=(\S+)\)$/.exec(line));
  const found = trust.find((m) => m !== null);
  expect(found?.[1], "the CA path and the NODE_EXTRA_CA_CERTS value are the same").toBe(found?.[2]);
  return { url: match[1] ?? "", caPath: found?.[1] };
}

/** Status of a GET that trusts only `ca`. */
function statusTrusting(url: string, ca: string): Promise<number> {
  const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
  return new Promise((resolve, reject) => {
    get(`${url}/education/synchronizationProfiles`, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
}

describe("--https on the server commands", () => {
  test("sds-kit simulate --https-dir serves TLS trusted through DIR/ca.pem, and a restart keeps the same CA", async () => {
    const directory = freshDirectory();
    const cas: string[] = [];
    for (let start = 0; start < 2; start += 1) {
      const child = spawnTracked(process.execPath, [sdsKit, "simulate", "--port", "0", "--https-dir", directory]);
      const { url, caPath } = await started(child);
      expect(caPath).toBe(join(directory, "ca.pem"));
      const ca = readFileSync(join(directory, "ca.pem"), "utf8");
      cas.push(ca);
      expect(await statusTrusting(url, ca)).toBe(200);
      child.kill("SIGTERM");
      expect((await exitOf(child)).code).toBe(0);
    }
    expect(cas[1]).toBe(cas[0]);
    // A directory the user chose is theirs: still there after the server stops.
    expect(existsSync(join(directory, "ca.pem"))).toBe(true);
  }, 60_000);

  test("sds-kit mock --https serves the façade over TLS with a CA of its own, removed when it stops", async () => {
    const child = spawnTracked(process.execPath, [sdsKit, "mock", "--port", "0", "--https"]);
    const { url, caPath } = await started(child);
    expect(caPath).toMatch(/sds-kit-tls-[^/]+\/ca\.pem$/);
    expect(await statusTrusting(url, readFileSync(caPath ?? "", "utf8"))).toBe(200);
    child.kill("SIGINT");
    expect((await exitOf(child)).code).toBe(0);
    expect(existsSync(caPath ?? "")).toBe(false);
  }, 60_000);

  test.each(["simulate", "mock"])(
    "sds-kit %s: a CA directory that cannot be made is one line and exit 2",
    async (command) => {
      const file = join(freshDirectory(), "a-file");
      writeFileSync(file, "");
      const child = spawnTracked(process.execPath, [sdsKit, command, "--port", "0", "--https-dir", join(file, "tls")]);
      const { code, stderr } = await exitOf(child);
      expect([code, stderr]).toEqual([
        2,
        `sds-kit ${command}: cannot keep the certificate authority in ${join(file, "tls")}: ENOTDIR\n`,
      ]);
    },
    60_000,
  );
});
