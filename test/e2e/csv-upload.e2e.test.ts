import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClock } from "../../mocks/simulator/clock.js";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { createSynchronizationProfilesClient } from "../../src/client/synchronization-profiles-client.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { type RosterBreakName, rosterBreaks } from "../../src/csv/roster-breaks.js";
import { csvProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { exitOf, lineMatching, sdsKit, spawnTracked } from "../support/cli-process.js";

const everyColumn = {
  ...csvProfileRequest,
  dataProvider: {
    "@odata.type": "#microsoft.graph.educationCsvDataProvider",
    customizations: Object.fromEntries(
      ["school", "section", "student", "teacher"].map((kind) => [kind, { optionalPropertiesToSync: null }]),
    ),
  },
} as typeof csvProfileRequest;
const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: "virtual", strict: true });
}, 60_000);
afterAll(() => simulator.close());

const clientFor = (url: string) =>
  createSynchronizationProfilesClient({
    baseUrl: `${url}/beta`,
    token,
    // The client's waits move the simulator's clock.
    sleep: async (ms) => void simulator.clock.advance(ms),
  });

/** A CSV profile, provisioned; its id. */
async function provisionedProfile(client: ReturnType<typeof clientFor>, request = csvProfileRequest) {
  const { profile } = await client.createSynchronizationProfile(request);
  await client.waitForProvisioning(profile.id, { intervalMs: 1000 });
  return profile.id;
}

/** The Azurite processes a process started (other test files start their own; they are not counted). */
const azuritePids = async (parent = process.pid) =>
  (
    await promisify(execFile)("pgrep", ["-P", String(parent), "-f", "azurite/dist/src/blob/main.js"]).catch(() => ({
      stdout: "",
    }))
  ).stdout
    .split("\n")
    .filter(Boolean);

describe("a CSV profile's whole flow, with the Azure Storage SDK against Azurite", () => {
  test("create, provision, upload a generated set, start: 200, the sync succeeds with counts from the data, no errors", async () => {
    const client = clientFor(simulator.url);
    const id = await provisionedProfile(client);
    const files = generateRoster({ seed: 7 });
    expect(await client.uploadCsvFiles(id, files)).toEqual([...files.keys()]);
    const started = await client.startAndVerify(id);
    expect(started.started).toBe(true);
    expect(started.messages.filter((m) => m.type === "Error")).toEqual([]);
    const status = await client.waitForSync(id, { intervalMs: 1000 });
    expect(status.status).toBe("success");
    // Two schools, eight sections, forty students and six teachers: 56 records synced.
    expect(status.statusMessage).toBe("Processed 56 in the last hour.\r\nUpdated 56 in the last hour.");
    expect(status.errorCount).toBe(0);
    expect((await client.listSynchronizationErrors(id)).value).toEqual([]);
  }, 60_000);

  const breaks = Object.entries(rosterBreaks) as [RosterBreakName, (typeof rosterBreaks)[RosterBreakName]][];
  test.each(breaks.filter(([, b]) => b.verifyOptions === undefined))(
    "%s: start answers the documented status with exactly the expected messages",
    async (_name, broken) => {
      const client = clientFor(simulator.url);
      // Every optional column read (null: "sync all"), as the breaks' expected messages assume.
      const id = await provisionedProfile(client, everyColumn);
      await client.uploadCsvFiles(id, broken.apply(generateRoster()));
      const answer = await fetch(`${simulator.url}/beta/education/synchronizationProfiles/${id}/start`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await answer.json()) as { value: unknown[] };
      expect(answer.status).toBe(broken.status);
      expect(body.value).toEqual(broken.expected);
    },
    60_000,
  );

  test("records that break a sync rule become sync errors; reset clears them; a new upload re-verifies", async () => {
    const client = clientFor(simulator.url);
    const id = await provisionedProfile(client);
    const files = generateRoster({ seed: 3 });
    const students = (files.get("student.csv") ?? "").split("\r\n");
    const fields = (students[1] ?? "").split(",");
    const header = (students[0] ?? "").split(",");
    fields[header.indexOf("First Name")] = "Ann<script>";
    students[1] = fields.join(",");
    files.set("student.csv", students.join("\r\n"));
    await client.uploadCsvFiles(id, files);
    expect((await client.startAndVerify(id)).started).toBe(true);
    const failed = await client.waitForSync(id, { intervalMs: 1000 });
    expect([failed.status, failed.errorCount]).toEqual(["error", 1]);
    const [error] = (await client.listSynchronizationErrors(id)).value;
    // The matching key with the profile's student domain, as Microsoft's one error example shows.
    expect(error).toMatchObject({
      entryType: "Student",
      errorCode: "None",
      joiningValue: `${fields[header.indexOf("Username")]}@testschool.edu`,
      reportableIdentifier: fields[header.indexOf("Username")],
    });
    expect(error?.errorMessage).toContain("<");

    await client.resetSynchronizationProfile(id);
    expect((await client.listSynchronizationErrors(id)).value).toEqual([]);
    // The same files again: the sync fails the same way. Clean files and a new start: it succeeds.
    await client.waitForSync(id, { intervalMs: 1000 });
    await client.uploadCsvFiles(id, generateRoster({ seed: 3 }));
    expect((await client.startAndVerify(id)).started).toBe(true);
    expect((await client.waitForSync(id, { intervalMs: 1000 })).status).toBe("success");
  }, 60_000);
});

describe("the upload URL's SAS", () => {
  test("is write-only: reading a file back is refused", async () => {
    const client = clientFor(simulator.url);
    const id = await provisionedProfile(client);
    const container = new ContainerClient(await client.getSynchronizationProfileUploadUrl(id));
    await container.getBlockBlobClient("school.csv").upload("SIS ID,Name\r\n", 13);
    // A download (HEAD-free GET) is refused for want of the read permission.
    await expect(container.getBlobClient("school.csv").downloadToBuffer()).rejects.toMatchObject({ statusCode: 403 });
  }, 60_000);

  test("cannot write into another profile's container", async () => {
    const client = clientFor(simulator.url);
    const [mine, theirs] = [await provisionedProfile(client), await provisionedProfile(client)];
    const url = new URL(await client.getSynchronizationProfileUploadUrl(mine));
    await client.getSynchronizationProfileUploadUrl(theirs);
    url.pathname = url.pathname.replace(mine, theirs);
    await expect(
      new ContainerClient(url.toString()).getBlockBlobClient("school.csv").upload("x", 1),
    ).rejects.toMatchObject({
      statusCode: 403,
    });
  }, 60_000);

  test("refuses a write after it expires", async () => {
    // A simulator whose clock stands two hours back: the hour its URLs are valid for is already over.
    const past = await startSimulator({ clock: createClock("virtual", Date.now() - 2 * 3_600_000) });
    try {
      const client = createSynchronizationProfilesClient({
        baseUrl: `${past.url}/beta`,
        token: createTestToken({ scopes: ["EduAdministration.ReadWrite"], exp: Math.floor(Date.now() / 1000) + 3600 }),
        sleep: async (ms) => void past.clock.advance(ms),
      });
      const { profile } = await client.createSynchronizationProfile(csvProfileRequest);
      await client.waitForProvisioning(profile.id, { intervalMs: 1000 });
      const url = await client.getSynchronizationProfileUploadUrl(profile.id);
      await expect(new ContainerClient(url).getBlockBlobClient("school.csv").upload("x", 1)).rejects.toMatchObject({
        statusCode: 403,
      });
    } finally {
      await past.close();
    }
  }, 60_000);

  test("deleting the profile deletes its container", async () => {
    const client = clientFor(simulator.url);
    const id = await provisionedProfile(client);
    const container = new ContainerClient(await client.getSynchronizationProfileUploadUrl(id));
    await container.getBlockBlobClient("school.csv").upload("x", 1);
    await client.deleteSynchronizationProfile(id);
    await expect(container.getBlockBlobClient("school.csv").upload("x", 1)).rejects.toMatchObject({ statusCode: 404 });
  }, 60_000);
});

describe("Azurite's life", () => {
  test("is started on the first upload URL and stopped with the simulator: no stray process after close()", async () => {
    const before = await azuritePids();
    const own = await startSimulator({ clock: "virtual" });
    const client = createSynchronizationProfilesClient({
      baseUrl: `${own.url}/beta`,
      token,
      sleep: async (ms) => void own.clock.advance(ms),
    });
    const { profile } = await client.createSynchronizationProfile(csvProfileRequest);
    expect(await azuritePids()).toEqual(before);
    await client.waitForProvisioning(profile.id, { intervalMs: 1000 });
    await client.getSynchronizationProfileUploadUrl(profile.id);
    expect((await azuritePids()).length).toBe(before.length + 1);
    await own.close();
    expect(await azuritePids()).toEqual(before);
  }, 60_000);

  test("sds-kit simulate stops Azurite on SIGTERM; a taken --uploads-port is one clear line", async () => {
    const child = spawnTracked(process.execPath, [sdsKit, "simulate", "--port", "0", "--uploads-port", "0"]);
    await lineMatching(child, /listening on (http:\/\/\S+)/);
    const [azurite] = await azuritePids(child.pid);
    expect(azurite).toMatch(/^\d+$/);
    child.kill("SIGTERM");
    expect((await exitOf(child)).code).toBe(0);
    // Gone with its parent: signal 0 finds no such process.
    expect(() => process.kill(Number(azurite), 0)).toThrow(/ESRCH/);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const refused = spawnTracked(process.execPath, [
        sdsKit,
        "simulate",
        "--port",
        "0",
        "--uploads-port",
        String(port),
      ]);
      const { code, stderr } = await exitOf(refused);
      expect(await azuritePids(refused.pid)).toEqual([]);
      expect([code, stderr]).toEqual([
        2,
        `sds-kit simulate: Azurite could not listen on 127.0.0.1:${port}: the port is already in use\n`,
      ]);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 60_000);
});
