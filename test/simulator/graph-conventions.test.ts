import { describe, expect, test } from "vitest";
import { expectGraphError } from "../support/graph-error.js";
import {
  answer,
  createProvisioned,
  documentedRequest,
  inProcessSimulator,
  profiles,
} from "../support/simulator-harness.js";

describe("simulator: answers like Graph", () => {
  test.each([[""], ["/beta"], ["/testEduApi"]])("under the prefix '%s'", async (prefix) => {
    const { call } = inProcessSimulator();
    const created = await call("POST", `${prefix}${profiles}`, { body: documentedRequest() });
    expect(created.status).toBe(202);
    expect((await call("GET", `${prefix}${profiles}/${created.body.id}`)).status).toBe(200);
  });

  test("the SDKs' qualified action paths reach the same operations", async () => {
    const { sim, call } = inProcessSimulator();
    const id = await createProvisioned(call, sim);
    expect((await call("GET", `/beta${profiles}/${id}/microsoft.graph.uploadUrl()`)).status).toBe(200);
    expect((await call("POST", `/beta${profiles}/${id}/microsoft.graph.start`)).status).toBe(200);
    expect((await call("POST", `/beta${profiles}/${id}/microsoft.graph.pause`)).status).toBe(200);
  });

  test("request-id on every response; client-request-id echoed in the header and the error", async () => {
    const { call } = inProcessSimulator();
    const clientRequestId = "0f9e8d7c-6b5a-4938-a716-5e4d3c2b1a09";
    const ok = await call("GET", profiles, { headers: { "client-request-id": clientRequestId } });
    expect(ok.headers.get("client-request-id")).toBe(clientRequestId);
    const missing = await call("GET", `${profiles}/86904b1e-c7d0-4ead-b13a-98f11fc400ee`, {
      headers: { "client-request-id": clientRequestId },
    });
    expect(missing.body.error.innerError["client-request-id"]).toBe(clientRequestId);
    expect(missing.headers.get("request-id")).not.toBe(ok.headers.get("request-id"));
  });
});

describe("simulator: evolvable enums", () => {
  test("faculty and extracting are sent only with Prefer: include-unknown-enum-members", async () => {
    const { sim, call } = inProcessSimulator();
    const body = documentedRequest() as { identitySynchronizationConfiguration: { userDomains: unknown[] } };
    body.identitySynchronizationConfiguration.userDomains.push({ appliesTo: "faculty", name: "staff.testschool.edu" });
    const id = await createProvisioned(call, sim, body as never);
    await call("POST", `${profiles}/${id}/start`);
    const roles = async (prefer?: string) =>
      (
        await call("GET", `${profiles}/${id}`, { headers: prefer ? { prefer } : {} })
      ).body.identitySynchronizationConfiguration.userDomains.map((d: { appliesTo: string }) => d.appliesTo);
    expect(await roles()).toEqual(["student", "teacher", "unknownFutureValue"]);
    expect(await roles("include-unknown-enum-members")).toEqual(["student", "teacher", "faculty"]);
    const status = async (prefer?: string) =>
      (await call("GET", `${profiles}/${id}/profileStatus`, { headers: prefer ? { prefer } : {} })).body.status;
    expect(await status()).toBe("unknownFutureValue");
    expect(await status("include-unknown-enum-members")).toBe("extracting");
  });

  test("sending unknownFutureValue is a 400: the request form of the enum has no sentinel", async () => {
    const { call } = inProcessSimulator();
    const body = documentedRequest() as { licensesToAssign: { appliesTo: string }[] };
    (body.licensesToAssign[0] as { appliesTo: string }).appliesTo = "unknownFutureValue";
    expectGraphError(...(await answer(call("POST", profiles, { body }))), {
      status: 400,
      code: "BadRequest",
      message: /licensesToAssign\/0\/appliesTo: must be one of "student", "teacher", "none", "faculty"/,
    });
  });
});
