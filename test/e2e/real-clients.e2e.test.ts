import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningSimulator, startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { samplesAvailable, samplesDir } from "../support/reference.js";

/**
 * Replays of what public clients of the live service sent, over HTTP, against `sds-kit simulate`'s
 * engine: each request is the client's own (its paths, bodies, tokens and timing), and each answer
 * is the one the service gave, or would have given (decisions.md#pre-release-api and the entries
 * each test names). The simulator runs on a virtual clock that each client's waits move, as its
 * polling interval would.
 */

// biome-ignore lint/suspicious/noExplicitAny: replies are read as the clients read them, field by field
type Json = any;

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: "virtual", strict: true });
}, 60_000);
afterAll(() => simulator.close());

const delegated = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "canvas-school" });
const countyAdmin = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "county" });
const application = createTestToken({ roles: ["EduAdministration.ReadWrite.All"], tid: "county" });

/** One request as the client wrote it: node:http, like PowerShell and Postman, sends a body with any method. */
function send(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, simulator.url),
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(text === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(text) }),
        },
      },
      (incoming) => {
        let reply = "";
        incoming.on("data", (chunk: Buffer) => {
          reply += chunk.toString("utf8");
        });
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode ?? 0, body: reply ? JSON.parse(reply) : undefined }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(text);
  });
}

/** Polls a profile as a script does, every `everyMs`, until it is provisioned; how many polls it took. */
async function pollUntilProvisioned(id: string, token: string, everyMs: number): Promise<number> {
  for (let polls = 1; polls <= 30; polls += 1) {
    const profile = await send("GET", `/beta/education/synchronizationProfiles/${id}`, token);
    expect(profile.status).toBe(200);
    if (profile.body.state === "provisioned") return polls;
    simulator.clock.advance(everyMs);
  }
  throw new Error(`profile ${id} did not provision within 30 polls`);
}

/** A profile created with the Canvas script's body (as \`by\`), polled until provisioned (as \`readAs\`): its id. */
async function provisionedProfile(by: string, readAs = by): Promise<string> {
  const created = await send(
    "POST",
    "/beta/education/synchronizationProfiles",
    by,
    canvasScriptBody("microsoft.graph"),
  );
  expect(created.status).toBe(202);
  await pollUntilProvisioned(created.body.id, readAs, 5000);
  return created.body.id;
}

/** The six files of a clean roster, uploaded through the SAS URL as AzCopy or the Storage SDK would. */
async function uploadRoster(sasUrl: string): Promise<void> {
  const container = new ContainerClient(sasUrl, undefined, { retryOptions: { maxTries: 1 } });
  for (const [name, content] of generateRoster({ seed: 2020 }))
    await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content));
}

/** The create body of the Canvas-to-SDS script (v-karapa/CANVAS_SDS_SCRIPT `canvas_fileupload.ps1` @ 09b22d4). */
const canvasScriptBody = (namespace: "Microsoft.Education.DataSync" | "microsoft.graph") => ({
  displayName: "Canvas Sync",
  dataProvider: {
    "@odata.type": `#${namespace}.educationCsvDataProvider`,
    customizations: { student: { optionalPropertiesToSync: ["State ID", "Middle Name"] } },
  },
  identitySynchronizationConfiguration: {
    "@odata.type": `#${namespace}.educationIdentityCreationConfiguration`,
    userDomains: [
      { appliesTo: "student", name: "canvas.example.edu" },
      { appliesTo: "teacher", name: "canvas.example.edu" },
    ],
  },
  licensesToAssign: [{ appliesTo: "teacher", skuIds: ["6fd2c87f-b296-42f0-b197-1e91e994b900"] }],
});

describe("a Canvas-to-SDS PowerShell script (v-karapa/CANVAS_SDS_SCRIPT, 2020, delegated token)", () => {
  test("its create in the page's Microsoft.Education.DataSync namespace is refused, as #17889 captured", async () => {
    const refused = await send(
      "POST",
      "/beta/education/synchronizationProfiles",
      delegated,
      canvasScriptBody("Microsoft.Education.DataSync"),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("BadRequest");
    expect(refused.body.error.message).toBe(
      'Invalid OData type specified: "Microsoft.Education.DataSync.educationCsvDataProvider"',
    );
  });

  test("with the graph namespace: create, uploadurl and start at once are 409s, then poll, upload and start", async () => {
    const created = await send(
      "POST",
      "/beta/education/synchronizationProfiles",
      delegated,
      canvasScriptBody("microsoft.graph"),
    );
    expect([created.status, created.body.state]).toEqual([202, "provisioning"]);
    const id = created.body.id;
    // The script asked for the upload URL right away, in lower case; the profile is still provisioning.
    const early = await send("GET", `/beta/education/synchronizationProfiles/${id}/uploadurl`, delegated);
    expect([early.status, early.body.error.code]).toEqual([409, "conflict"]);
    const earlyStart = await send("POST", `/beta/education/synchronizationProfiles/${id}/start`, delegated);
    expect(earlyStart.status).toBe(409);
    expect(await pollUntilProvisioned(id, delegated, 5000)).toBeGreaterThan(0);
    const url = await send("GET", `/beta/education/synchronizationProfiles/${id}/uploadurl`, delegated);
    expect(url.status).toBe(200);
    await uploadRoster(url.body.value);
    const started = await send("POST", `/beta/education/synchronizationProfiles/${id}/start`, delegated);
    expect(started.status).toBe(200);
    expect(started.body.value.filter((m: { type: string }) => m.type === "Error")).toEqual([]);
  }, 60_000);
});

describe("a county's help-desk API (vtfk/azf-dust-api, 2021, application token)", () => {
  /** The tool's validator (systems/sync/validator.js @ 3050767), restated: what it reports for a sync time. */
  const helpDeskVerdict = (lastSdsSyncTime: string | null) => {
    if (!lastSdsSyncTime) return "no sync time";
    if (lastSdsSyncTime.includes("0001-01-01")) return "syncing right now";
    return "last sync at a time";
  };
  const readSyncTime = async (id: string) => {
    // The tool's own request: the beta endpoint, $select, an application token.
    const status = await send(
      "GET",
      `/beta/education/synchronizationProfiles/${id}/profileStatus?$select=lastSynchronizationDateTime`,
      application,
    );
    expect(status.status).toBe(200);
    expect(Object.keys(status.body).filter((key) => !key.startsWith("@"))).toEqual(["lastSynchronizationDateTime"]);
    return status.body.lastSynchronizationDateTime as string | null;
  };

  test("its $select status read answers the one property, and its 'syncing right now' branch runs during a sync", async () => {
    // An administrator created the profile; the tool only reads (and here starts) it, with the app's token.
    const id = await provisionedProfile(countyAdmin, application);
    expect(helpDeskVerdict(await readSyncTime(id))).toBe("no sync time");
    const url = await send("GET", `/beta/education/synchronizationProfiles/${id}/uploadUrl`, application);
    await uploadRoster(url.body.value);
    expect((await send("POST", `/beta/education/synchronizationProfiles/${id}/start`, application)).status).toBe(200);
    expect(helpDeskVerdict(await readSyncTime(id))).toBe("syncing right now");
    // The simulator's sync runs in timed phases; the tool checked every few minutes.
    for (let minutes = 0; minutes < 10 && helpDeskVerdict(await readSyncTime(id)) === "syncing right now"; minutes += 1)
      simulator.clock.advance(60_000);
    expect(helpDeskVerdict(await readSyncTime(id))).toBe("last sync at a time");
  }, 60_000);
});

describe("Microsoft's own Postman collection and scenario guides (OfficeDev/O365-EDU-Tools @ 355d5da, 2017)", () => {
  const leftover = () =>
    readFileSync(join(samplesDir, "graph-payloads", "2017-internal.update-PUT-body.from-ppe-GET.json"), "utf8");

  test.skipIf(!samplesAvailable)(
    "its GET and DELETE requests carry a profile's JSON as a body, and answer as without one",
    async () => {
      const id = await provisionedProfile(delegated);
      for (const path of ["", "/profileStatus", "/errors", "/uploadUrl"]) {
        const answer = await send("GET", `/beta/education/synchronizationProfiles/${id}${path}`, delegated, leftover());
        expect(answer.status, path).toBe(200);
        simulator.clock.advance(5000);
      }
      expect(
        (await send("DELETE", `/beta/education/synchronizationProfiles/${id}`, delegated, leftover())).status,
      ).toBe(202);
    },
    60_000,
  );

  test("the scenario guide's capitalised paths (/UploadUrl, /Pause, /Errors) reach their operations", async () => {
    const id = await provisionedProfile(delegated);
    expect((await send("GET", `/beta/education/SynchronizationProfiles/${id}/UploadUrl`, delegated)).status).toBe(200);
    expect((await send("POST", `/beta/education/SynchronizationProfiles/${id}/Pause`, delegated)).status).toBe(200);
    expect((await send("GET", `/beta/education/SynchronizationProfiles/${id}/Errors`, delegated)).body.value).toEqual(
      [],
    );
  }, 60_000);

  test("its pre-release testsds, /status and /verifyFiles paths answer as the beta API answers them", async () => {
    const created = await send(
      "POST",
      "/beta/education/synchronizationProfiles",
      delegated,
      canvasScriptBody("microsoft.graph"),
    );
    const id = created.body.id;
    const status = await send("GET", `/testsds/synchronizationProfiles/${id}/status`, delegated);
    expect([status.status, status.body.error.message]).toEqual([400, "Resource not found for the segment 'testsds'."]);
    const verify = await send("POST", `/beta/education/synchronizationProfiles/${id}/verifyFiles`, delegated);
    expect([verify.status, verify.body.error.code]).toEqual([400, "BadRequest"]);
  });
});

describe("Graph's beta conventions, as Graph's query-parameters page states them", () => {
  test("top and filter without their $ page and filter as a client reading the page would expect", async () => {
    const tenant = createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: "dollar-less" });
    for (const name of ["North High", "South High"])
      await send("POST", "/beta/education/synchronizationProfiles", tenant, {
        ...canvasScriptBody("microsoft.graph"),
        displayName: name,
      });
    const page = await send("GET", "/beta/education/synchronizationProfiles?top=1", tenant);
    expect(page.body.value).toHaveLength(1);
    const filtered = await send(
      "GET",
      `/beta/education/synchronizationProfiles?filter=${encodeURIComponent("displayName eq 'South High'")}`,
      tenant,
    );
    expect(filtered.body.value.map((p: { displayName: string }) => p.displayName)).toEqual(["South High"]);
  });
});
