import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import type { Answer } from "../support/sim-client.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
  timing,
} from "../support/simulator-harness.js";

type Page = { value: { id: string; displayName: string }[]; "@odata.nextLink"?: string; "@odata.count"?: number };

describe("simulator: paging and filtering", () => {
  test("250 profiles, followed by nextLink, with $count", async () => {
    const { sim, call } = inProcessSimulator({ limits: { maxProfilesPerTenant: 300 } });
    const names = Array.from({ length: 250 }, (_, i) => `Profile ${String(i).padStart(3, "0")}`);
    for (const displayName of names) await call("POST", profiles, { body: { ...documentedRequest(), displayName } });
    sim.clock.advance(timing.provisioningMs);
    const seen: string[] = [];
    let next: string | undefined = `${profiles}?$top=40&$count=true`;
    let pages = 0;
    while (next) {
      const page: Answer<Page> = await call("GET", next);
      expect(page.body["@odata.count"]).toBe(250);
      seen.push(...page.body.value.map((p) => p.displayName));
      next = page.body["@odata.nextLink"];
      pages += 1;
    }
    expect(pages).toBe(7);
    expect(seen.sort()).toEqual(names);
    const filtered = await call(
      "GET",
      `${profiles}?$filter=startswith(displayName,'Profile 24') and state eq 'provisioned'&$orderby=displayName desc`,
    );
    expect(filtered.body.value.map((p: { displayName: string }) => p.displayName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Profile 24${9 - i}`),
    );
    expectGraphError(...(await answer(call("GET", `${profiles}?$filter=length(displayName) gt 3`))), {
      status: 400,
      code: "BadRequest",
      message: /query \/\$filter: must match pattern/,
    });
  });

  test("120 errors, followed by nextLink", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "sync-error:120" });
    await call("POST", `${profiles}/${id}/start`);
    sim.clock.advance(3 * timing.syncPhaseMs);
    const seen: string[] = [];
    let next: string | undefined = `${profiles}/${id}/errors?$top=50`;
    while (next) {
      const page: Answer<Page> = await call("GET", next);
      seen.push(...page.body.value.map((error) => error.id));
      next = page.body["@odata.nextLink"];
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });
});
