import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestToken } from "../../src/auth/test-token.js";
import { exitOf, listeningUrl, sdsKit, spawnTracked } from "../support/cli-process.js";
import { expectGraphError } from "../support/graph-error.js";
import { externalAddress, refusedOn } from "../support/network.js";
import { rawConnection } from "../support/raw-http.js";
import { documentedProfileId } from "../support/requests.js";
import { documentedRequest, profiles } from "../support/simulator-harness.js";

// One simulator, run as a user runs it, in a folder of its own (its working directory, which it and
// Azurite inherit): it must bind loopback only, and nothing a request says may touch a file.
let child: ChildProcess;
let url = "";
let folder = "";
const mark = randomUUID();
const tenant = "tenant-sec";
const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: tenant });
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "sds-security-"));
  child = spawn(process.execPath, [sdsKit, "simulate", "--port", "0", "--clock", "virtual", "--uploads-port", "0"], {
    cwd: folder,
    stdio: ["ignore", "pipe", "pipe"],
  });
  url = await listeningUrl(child);
}, 60_000);
afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  rmSync(folder, { recursive: true, force: true });
});

describe("sds-kit simulate, by default", () => {
  test("binds 127.0.0.1", () => {
    expect(new URL(url).hostname).toBe("127.0.0.1");
  });

  test.skipIf(externalAddress === undefined)(
    "answers nothing on this machine's other addresses, nor does Azurite",
    async () => {
      expect(await refusedOn(externalAddress ?? "", Number(new URL(url).port))).toBe(true);
      const seeded = await fetch(`${url}/_sds/profiles`, {
        method: "POST",
        body: JSON.stringify({ tenant, profile: csvProfile() }),
      });
      const { id } = (await seeded.json()) as { id: string };
      const upload = new URL(await uploadUrl(id));
      expect(upload.hostname).toBe("127.0.0.1");
      expect(await refusedOn(externalAddress ?? "", Number(upload.port))).toBe(true);
    },
  );
});

const csvProfile = () => ({
  ...documentedRequest(),
  dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
});
async function uploadUrl(id: string): Promise<string> {
  const response = await fetch(`${url}${profiles}/${id}/uploadUrl`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

describe("sds-kit simulate: no path, header or body reaches a file", () => {
  test.each([
    "/_sds/../../../etc/passwd",
    "/_sds/%2e%2e/%2e%2e/package.json",
    "/_sds/..%2f..%2fpackage.json",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/beta/../../generated/openapi.json",
    "//etc/passwd",
    "/..\\..\\package.json",
    "/education/synchronizationProfiles/..%2f..%2f..%2fpackage.json",
    `/education/synchronizationProfiles/${documentedProfileId}/..%00/uploadUrl`,
    "http://elsewhere.test/etc/passwd",
  ])("GET %s is a Graph error naming no file's content", async (target) => {
    const client = await rawConnection(url);
    await client.write(`GET ${target} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    const { response, body } = await client.response();
    // 400 for no such path (Graph names the segment) or an id that is not a GUID, 403 for a token sent to the admin API.
    const codes: Record<number, string> = { 400: "BadRequest", 403: "accessDenied" };
    expect(Object.keys(codes)).toContain(String(response.status));
    expectGraphError(response, body, { status: response.status, code: codes[response.status] ?? "" });
    expect(JSON.stringify(body)).not.toMatch(/root:|"devDependencies"|"openapi"/);
    client.socket.destroy();
  });

  test("an admin seed with a path for an id is refused; a path for a tenant is only a name", async () => {
    const traversal = await fetch(`${url}/_sds/profiles`, {
      method: "POST",
      body: JSON.stringify({ id: `../../${mark}`, profile: csvProfile() }),
    });
    expect(traversal.status).toBe(400);
    const named = await fetch(`${url}/_sds/profiles`, {
      method: "POST",
      headers: { "x-sds-tenant": `../../${mark}` },
      body: JSON.stringify({ profile: csvProfile(), files: "valid" }),
    });
    expect(named.status).toBe(201);
    expect(((await named.json()) as { tenant: string }).tenant).toBe(`../../${mark}`);
  });

  test("blobs named as paths stay in Azurite's memory: the folder stays empty, nothing appears outside it", async () => {
    const seeded = await fetch(`${url}/_sds/profiles`, {
      method: "POST",
      body: JSON.stringify({ tenant, profile: csvProfile() }),
    });
    const { id } = (await seeded.json()) as { id: string };
    const sas = new URL(await uploadUrl(id));
    const container = new ContainerClient(sas.toString());
    const names = [
      `../../${mark}.csv`,
      `..%2f..%2f${mark}.csv`,
      `/tmp/${mark}.csv`,
      `..\\..\\${mark}.csv`,
      "school.csv",
    ];
    // Through the Storage SDK, which may refuse a name itself, and as raw requests, which it cannot tidy up.
    const outcomes = await Promise.allSettled(
      names.map(async (name) => container.getBlockBlobClient(name).upload("SIS ID,Name\r\n1,x\r\n", 17)),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThan(0);
    for (const name of names) {
      const azurite = await rawConnection(sas.origin);
      await azurite.write(
        `PUT ${sas.pathname}/${name}${sas.search} HTTP/1.1\r\nHost: ${sas.host}\r\nx-ms-blob-type: BlockBlob\r\nContent-Length: 3\r\n\r\nabc`,
      );
      // Whatever Azurite made of the name (a blob, or a refusal), it answered.
      expect((await azurite.response()).response.status).toBeGreaterThanOrEqual(200);
      azurite.socket.destroy();
    }
    const started = await fetch(`${url}${profiles}/${id}/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    // Start reads them back as names in the container, and names them as files it does not read
    // (a Warning: the folder only should hold nothing else); the other five files are missing.
    expect(started.status).toBe(400);
    const refusedNames = ((await started.json()) as { value: { fileName: string; description: string }[] }).value
      .filter((m) => m.description.endsWith("is not one of the six SDS CSV files, and is not read"))
      .map((m) => m.fileName);
    expect(refusedNames).toContain(`../../${mark}.csv`);
    expect(readdirSync(folder)).toEqual([]);
    for (const place of [join(folder, "..", `${mark}.csv`), join(tmpdir(), `${mark}.csv`), join("/", `${mark}.csv`)])
      expect(existsSync(place), place).toBe(false);
  });

  test("and on SIGTERM it exits 0, having written nothing to stderr", async () => {
    const exit = exitOf(child);
    child.kill("SIGTERM");
    expect(await exit).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(folder)).toEqual([]);
  }, 30_000);
});

describe("sds-kit simulate --host 0.0.0.0 --no-admin", () => {
  test("warns in one line on stderr, and /_sds answers like any path that is not Graph's", async () => {
    const exposed = spawnTracked(process.execPath, [
      sdsKit,
      "simulate",
      "--port",
      "0",
      "--host",
      "0.0.0.0",
      "--no-admin",
    ]);
    const at = (await listeningUrl(exposed)).replace("0.0.0.0", "127.0.0.1");
    const exit = exitOf(exposed);
    const admin = await fetch(`${at}/_sds/health`);
    const unknown = await fetch(`${at}/_nothing/health`);
    const [adminBody, unknownBody] = (await Promise.all([admin.json(), unknown.json()])) as {
      error: { code: string; message: string };
    }[];
    expectGraphError(admin, adminBody, { status: 400, code: "BadRequest" });
    expect([admin.status, adminBody?.error.code, adminBody?.error.message.replace("_sds", "_nothing")]).toEqual([
      unknown.status,
      unknownBody?.error.code,
      unknownBody?.error.message,
    ]);
    exposed.kill("SIGTERM");
    expect(await exit).toMatchObject({
      code: 0,
      stderr:
        "sds-kit simulate: warning: listening on 0.0.0.0, not loopback: anyone who can reach this machine can call the simulator, which checks no token's signature; serve it only on a network you trust\n",
    });
  }, 30_000);
});
