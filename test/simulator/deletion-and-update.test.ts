import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
  timing,
} from "../support/simulator-harness.js";

describe("simulator: deletion", () => {
  test("delete -> deleting -> gone (404)", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const deleted = await call("DELETE", `${profiles}/${id}`);
    expect([deleted.status, deleted.body]).toEqual([202, undefined]);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("deleting");
    expectGraphError(...(await answer(call("DELETE", `${profiles}/${id}`))), {
      status: 409,
      code: "conflict",
      message: /deleting/,
    });
    sim.clock.advance(timing.deletionMs);
    expectGraphError(...(await answer(call("GET", `${profiles}/${id}`))), {
      status: 404,
      code: "itemNotFound",
      message: new RegExp(id),
    });
    expect((await call("GET", profiles)).body.value).toEqual([]);
    expect(await sim.store.session((s) => s.list("tenant-a"))).toEqual([]);
  });

  test("deletion can fail, and be tried again", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim, documentedRequest(), { "x-sds-scenario": "deletion-failed" });
    await call("DELETE", `${profiles}/${id}`);
    sim.clock.advance(timing.deletionMs);
    expect((await call("GET", `${profiles}/${id}`)).body.state).toBe("deletionFailed");
    expect((await call("DELETE", `${profiles}/${id}`)).status).toBe(202);
  });
});

describe("simulator: update", () => {
  test("PUT on the collection answers 202 and provisions again; PATCH on the item answers 204", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    const profile = (await call("GET", `${profiles}/${id}`)).body;
    const put = await call("PUT", profiles, { body: { ...profile, displayName: "Renamed" } });
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({ id, displayName: "Renamed", state: "provisioning" });
    sim.clock.advance(timing.provisioningMs);
    const patch = await call("PATCH", `${profiles}/${id}`, { body: { displayName: "Renamed again" } });
    expect([patch.status, patch.body]).toEqual([204, undefined]);
    expect((await call("GET", `${profiles}/${id}`)).body).toMatchObject({
      displayName: "Renamed again",
      state: "provisioning",
    });
    expectGraphError(
      ...(await answer(call("PUT", profiles, { body: { ...profile, id: "0b4f6a5e-3c1d-4e2f-9a8b-7c6d5e4f3a2b" } }))),
      { status: 404, code: "itemNotFound" },
    );
    await call("DELETE", `${profiles}/${id}`);
    expectGraphError(...(await answer(call("PATCH", `${profiles}/${id}`, { body: { displayName: "x" } }))), {
      status: 409,
      code: "conflict",
    });
  });
});

describe("simulator: uploadUrl", () => {
  test("a SAS URL valid one hour; 409 while the previous request is processing", async () => {
    const { sim, call } = inProcessSimulator({ uploadUrlProcessingMs: 500 });
    const id = await createProvisioned(call, sim);
    const first = await call("GET", `${profiles}/${id}/uploadUrl`);
    expect(first.status).toBe(200);
    const sas = new URL(first.body.value);
    expect(sas.hostname).toBe("sdsstorage.blob.core.windows.net");
    expect(sas.searchParams.get("sp")).toBe("w");
    expect(Date.parse(sas.searchParams.get("se") ?? "") - sim.clock.now()).toBeGreaterThan(3_599_000);
    expectGraphError(...(await answer(call("GET", `${profiles}/${id}/uploadUrl`))), {
      status: 409,
      code: "conflict",
      message: /still being processed/,
    });
    sim.clock.advance(500);
    expect((await call("GET", `${profiles}/${id}/uploadUrl`)).status).toBe(200);
  });
});
