import { csvFixtures } from "sds-contract-kit";
import { rosterFileNames } from "sds-contract-kit/csv";
import { describe, expect, test } from "vitest";
import { csvProfile, RosterRejectedError } from "../src/roster-sync.js";
import { rosterSyncForTest } from "./support.js";

describe("uploadRosterAndStart", () => {
  test("uploads the six CSV files, starts, and the sync succeeds", async () => {
    const sync = rosterSyncForTest();
    const profile = await sync.createProfileAndWait(csvProfile("Woodgrove District"));
    const roster = csvFixtures({ seed: "woodgrove", schools: 2 });
    expect([...roster.files.keys()].sort()).toEqual([...rosterFileNames].sort());

    const warnings = await sync.uploadRosterAndStart(profile.id, roster.files);

    expect(warnings).toEqual([]);
    const status = await sync.client.waitForSync(profile.id, { timeoutMs: 30_000, intervalMs: 100 });
    expect(status.status).toBe("success");
  });

  test("rejects files that fail verification with start's messages, and nothing syncs", async () => {
    const sync = rosterSyncForTest();
    const profile = await sync.createProfileAndWait(csvProfile("Lamna Prep"));
    const broken = csvFixtures({ break: "unknown-section-reference" });

    const starting = sync.uploadRosterAndStart(profile.id, broken.files);

    await expect(starting).rejects.toBeInstanceOf(RosterRejectedError);
    await expect(starting).rejects.toMatchObject({ messages: broken.expected.messages });
    const status = await sync.client.getSynchronizationProfileStatus(profile.id);
    expect(status.status).toBe("paused");
  });
});
