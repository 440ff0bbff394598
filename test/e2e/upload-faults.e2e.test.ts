import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { expectGraphError } from "../support/graph-error.js";
import { profiles } from "../support/simulator-harness.js";

// Uploads go to Azurite, a child process the simulator starts: tenants must not reach each other's
// containers through it, and its death must be told, not waited on (decisions.md#blob-emulator-down).
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: "virtual", strict: true });
}, 60_000);
afterAll(() => simulator.close());

const tokenOf = (tid: string) => createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid });
const [tenantA, tenantB] = [tokenOf("tenant-a"), tokenOf("tenant-b")];
const call = (token: string, method: string, path: string, body?: unknown) =>
  fetch(`${simulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const seed = async (tenant: string, extra: Record<string, unknown> = {}) => {
  const response = await fetch(`${simulator.url}/_sds/profiles`, {
    method: "POST",
    body: JSON.stringify({ tenant, profile: csvProfileRequest, ...extra }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
};
const uploadUrl = async (token: string, id: string) => {
  const response = await call(token, "GET", `${profiles}/${id}/uploadUrl`);
  expect(response.status).toBe(200);
  return new URL(((await response.json()) as { value: string }).value);
};
const refused = { statusCode: 403 };

describe("tenants and their containers", () => {
  test("tenant B's SAS URL, pointed at tenant A's container, can neither write, read nor list", async () => {
    const [a, b] = [await seed("tenant-a"), await seed("tenant-b")];
    const [urlA, urlB] = [await uploadUrl(tenantA, a), await uploadUrl(tenantB, b)];
    await new ContainerClient(urlA.toString()).getBlockBlobClient("school.csv").upload("a", 1);
    // B's own URL writes into B's container.
    await new ContainerClient(urlB.toString()).getBlockBlobClient("school.csv").upload("b", 1);
    const stolen = new URL(urlA);
    stolen.search = urlB.search;
    const intoA = new ContainerClient(stolen.toString());
    await expect(intoA.getBlockBlobClient("school.csv").upload("x", 1)).rejects.toMatchObject(refused);
    await expect(intoA.getBlobClient("school.csv").downloadToBuffer()).rejects.toMatchObject(refused);
    await expect(intoA.listBlobsFlat().next()).rejects.toMatchObject(refused);
    // Nor does A's own write-only URL read its files back.
    await expect(
      new ContainerClient(urlA.toString()).getBlobClient("school.csv").downloadToBuffer(),
    ).rejects.toMatchObject(refused);
  }, 60_000);

  test("the same profile id in two tenants has two containers: A's files are not B's", async () => {
    const id = "5d0c8a7b-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
    await seed("tenant-a", { id, files: "valid" });
    await seed("tenant-b", { id });
    const started = async (token: string) => (await call(token, "POST", `${profiles}/${id}/start`)).status;
    expect(await started(tenantB)).toBe(400);
    expect(await started(tenantA)).toBe(200);
    expect((await uploadUrl(tenantA, id)).pathname).not.toBe((await uploadUrl(tenantB, id)).pathname);
  }, 60_000);
});

/** The Azurite processes this process started (one: the simulator's). */
const azuritePids = async () =>
  (
    await promisify(execFile)("pgrep", ["-P", String(process.pid), "-f", "azurite/dist/src/blob/main.js"]).catch(
      () => ({
        stdout: "",
      }),
    )
  ).stdout
    .split("\n")
    .filter(Boolean)
    .map(Number);

describe("Azurite killed under a running simulator", () => {
  test("the next upload URL is a 503 naming the emulator; the one after starts a new one", async () => {
    const id = await seed("tenant-a");
    await uploadUrl(tenantA, id);
    const [pid, ...others] = await azuritePids();
    expect(others).toEqual([]);
    process.kill(pid ?? -1, "SIGKILL");
    // Past the window in which uploadUrl answers 409 "still being processed".
    simulator.clock.advance(1000);

    const started = Date.now();
    const down = await call(tenantA, "GET", `${profiles}/${id}/uploadUrl`);
    expectGraphError(down, await down.json(), {
      status: 503,
      code: "serviceNotAvailable",
      message: new RegExp(`^The blob emulator \\(Azurite, PID ${pid}\\) exited unexpectedly \\(SIGKILL\\)`),
    });
    expect(down.headers.get("retry-after")).toBe("1");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await call(tenantA, "GET", `${profiles}/${id}`)).status).toBe(200);

    const fresh = await uploadUrl(tenantA, id);
    expect(await azuritePids()).not.toContain(pid);
    const container = new ContainerClient(fresh.toString());
    for (const [name, content] of generateRoster({ seed: 5 }))
      await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content));
    expect((await call(tenantA, "POST", `${profiles}/${id}/start`)).status).toBe(200);
  }, 60_000);
});
