import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import { readWrite } from "../support/sim-client.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
  timing,
} from "../support/simulator-harness.js";
import { readExample } from "../support/spec-source.js";

describe("simulator: provisioning", () => {
  test("create -> poll -> provisioned", async () => {
    const { sim, call } = inProcessSimulator();
    const created = await call("POST", profiles, { body: documentedRequest() });
    expect(created.status).toBe(202);
    expect(created.body.state).toBe("provisioning");
    expect((await call("GET", `${profiles}/${created.body.id}`)).body.state).toBe("provisioning");
    sim.clock.advance(timing.provisioningMs - 1);
    expect((await call("GET", `${profiles}/${created.body.id}`)).body.state).toBe("provisioning");
    sim.clock.advance(1);
    const provisioned = await call("GET", `/beta${profiles}/${created.body.id}`);
    expect(provisioned.body.state).toBe("provisioned");
    expect(provisioned.body["@odata.context"]).toBe(
      "http://simulator.test/beta/$metadata#education/synchronizationProfiles/$entity",
    );
  });

  test("provisioning can finish after a number of reads instead of a delay", async () => {
    const { call } = inProcessSimulator({ provisioningReads: 3, timing: { ...timing, provisioningMs: 3_600_000 } });
    const { body } = await call("POST", profiles, { body: documentedRequest() });
    const states = [];
    for (let i = 0; i < 3; i += 1) states.push((await call("GET", `${profiles}/${body.id}`)).body.state);
    expect(states).toEqual(["provisioning", "provisioning", "provisioned"]);
  });

  test.each([
    ["the X-Sds-Scenario header", { "x-sds-scenario": "provisioning-failed" }, "Test Profile"],
    ["a display name token", {}, "Test Profile [sds:provisioning-failed]"],
  ])("failed provisioning, chosen with %s", async (_how, headers, displayName) => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, { ...documentedRequest(), displayName }, headers);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("provisioningFailed");
    expectGraphError(...(await answer(call("POST", `${profiles}/${id}/start`))), {
      status: 409,
      code: "conflict",
      message: /provisioningFailed/,
    });
  });

  test("a seeded failure rate fails the same profiles for the same seed", async () => {
    const outcomes = async () => {
      const { sim, call } = inProcessSimulator({ seed: 99, provisioningFailureRate: 0.5 });
      const ids = [];
      for (let i = 0; i < 12; i += 1) ids.push((await call("POST", profiles, { body: documentedRequest() })).body.id);
      sim.clock.advance(timing.provisioningMs);
      return Promise.all(ids.map(async (id) => (await call("GET", `${profiles}/${id}`)).body.state));
    };
    const first = await outcomes();
    expect(first).toContain("provisioned");
    expect(first).toContain("provisioningFailed");
    expect(await outcomes()).toEqual(first);
  });

  test("the documentation's create request gets the documented 202 body (its id aside), types canonical", async () => {
    const { sim } = inProcessSimulator();
    const response = await sim.fetch(`http://simulator.test/testEduApi${profiles}`, {
      method: "POST",
      headers: { authorization: `Bearer ${readWrite}`, "content-type": "application/json" },
      body: JSON.stringify(readExample("createSynchronizationProfile.request").value),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, unknown>;
    // The 2017 request's own spellings come back canonical, as the 2019-2021 page's response shows.
    const documented = structuredClone(readExample("createSynchronizationProfile.202.gen-b").value) as Record<
      string,
      unknown
    >;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify({ ...body, id: documented.id })).toBe(JSON.stringify(documented));
  });
});
