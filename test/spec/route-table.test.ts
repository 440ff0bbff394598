import { describe, expect, test } from "vitest";
import { matchRoute } from "../../src/spec/match-route.js";

const id = "86904b1e-c7d0-4ead-b13a-98f11fc400ee";

describe("route table", () => {
  test.each([
    ["GET", "/education/synchronizationProfiles", "listSynchronizationProfiles"],
    ["PUT", "/education/synchronizationProfiles", "replaceSynchronizationProfile"],
    ["GET", `/beta/education/synchronizationProfiles/${id}`, "getSynchronizationProfile"],
    ["GET", `/testEduApi/education/synchronizationProfiles/${id}/profileStatus/`, "getSynchronizationProfileStatus"],
    ["POST", `/beta/education/synchronizationProfiles/${id}/microsoft.graph.start`, "startSynchronizationProfile"],
    [
      "GET",
      `/beta/education/synchronizationProfiles/${id}/microsoft.graph.uploadUrl()`,
      "getSynchronizationProfileUploadUrl",
    ],
    ["POST", `/education/synchronizationProfiles/${id}/microsoft.graph.reset`, "resetSynchronizationProfile"],
  ])("%s %s is %s", (method, path, operationId) => {
    const match = matchRoute(method, path);
    expect(match.kind === "operation" && match.operation.operationId).toBe(operationId);
  });

  test("path parameters are decoded", () => {
    const match = matchRoute("GET", "/education/synchronizationProfiles/a%20b");
    expect(match.kind === "operation" && match.pathParams).toEqual({ id: "a b" });
  });

  test.each([
    ["/synchronizationProfiles"],
    ["/testsds/synchronizationProfiles"],
    [`/education/synchronizationProfiles/${id}/Status`],
    [`/education/synchronizationProfiles/${id}/error`],
    [`/v1.0/education/synchronizationProfiles`],
  ])("%s is not a route (decisions.md#path-prefix)", (path) => {
    expect(matchRoute("GET", path).kind).toBe("notFound");
  });

  test("a known path with another method lists the allowed ones, sorted", () => {
    expect(matchRoute("DELETE", "/education/synchronizationProfiles")).toEqual({
      kind: "methodNotAllowed",
      allowed: ["GET", "POST", "PUT"],
      path: "/education/synchronizationProfiles",
    });
  });
});
