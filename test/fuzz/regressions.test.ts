import { describe, expect, test } from "vitest";
import { startSimulator } from "../../mocks/simulator/start-simulator.js";
import { requestUrl } from "../../src/http/node-http.js";
import { csvProfileRequest, powerSchoolProfileRequest } from "../../src/pact/provider-states/csv-profile-request.js";
import { maxJsonDepth, nestsDeeperThan } from "../../src/validation/json-depth.js";
import { expectGraphError } from "../support/graph-error.js";
import { sendRaw } from "../support/raw-socket.js";
import { answer, createProvisioned, inProcessSimulator, profiles, type SimCall } from "../support/simulator-harness.js";

// Each bug the fuzzing found (test/fuzz/*), pinned with the counterexample fast-check shrank it to.
// The servers answered these with a 5xx, a crash, or an answer the spec does not allow; each must
// now get the Graph error the documentation (or the kit's decision) gives.

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

interface Regression {
  method: string;
  path: string;
  raw?: string;
  headers?: Record<string, string>;
  /** Create a provisioned profile first; `{id}` in the path is its id. */
  profile?: true;
  want: { status: number; code: string; message?: RegExp };
}

const cases: [string, Regression][] = [
  [
    "a body nested 2,000 levels deep is a 400, not a stack overflow answered 500",
    {
      method: "POST",
      path: profiles,
      raw: nested(2000),
      headers: { "content-type": "application/json" },
      want: { status: 400, code: "BadRequest", message: /more than 64 levels deep/ },
    },
  ],
  [
    "a __proto__ property is a property the type does not have (it was dropped, and the profile created)",
    {
      method: "POST",
      path: profiles,
      raw: JSON.stringify(csvProfileRequest).replace("{", () => '{"__proto__":"",'),
      headers: { "content-type": "application/json" },
      want: { status: 400, code: "BadRequest", message: /'__proto__' is not a property/ },
    },
  ],
  [
    "X-Sds-Fault: throttle retry-after=Infinity is refused (it was a 429 with Retry-After: Infinity)",
    {
      method: "GET",
      path: profiles,
      headers: { "x-sds-fault": "throttle retry-after=Infinity" },
      want: { status: 400, code: "BadRequest", message: /retry-after takes 0 to 3600 seconds/ },
    },
  ],
  [
    "a body over 1 MiB on an operation that takes none is a 400 (it was a 413, which pause does not declare)",
    {
      method: "POST",
      path: `${profiles}/{id}/pause`,
      raw: JSON.stringify({ displayName: "x".repeat(1024 * 1024) }),
      headers: { "content-type": "application/json" },
      profile: true,
      want: { status: 400, code: "BadRequest", message: /takes no request body/ },
    },
  ],
];

describe("fuzz regressions: the shrunk counterexamples", () => {
  test.each(cases)("%s", async (_name, { method, path, raw, headers, profile, want }) => {
    const { sim, call } = inProcessSimulator();
    const id = profile ? await createProvisioned(call, sim) : "";
    const [response, body] = await answer(call(method, path.replace("{id}", id), { raw, headers }));
    expectGraphError(response, body, want);
  });

  test("Retry-After is always the spec's number of seconds: never an exponent", async () => {
    const { call } = inProcessSimulator();
    const throttled = await call("GET", profiles, { headers: { "x-sds-fault": "throttle retry-after=0.0000001" } });
    expect([throttled.status, throttled.headers.get("retry-after")]).toEqual([429, "0"]);
  });

  test('POST /_sds/clock/advance {"ms":8640000000000001} is a 400; the API still answers its errors', async () => {
    // The clock went past the last instant a Date can hold: every later error envelope (its
    // innerError.date) threw, in process a rejected fetch, over HTTP a request never answered.
    const { sim, call } = inProcessSimulator();
    const advanced = await sim.fetch("http://simulator.test/_sds/clock/advance", {
      method: "POST",
      body: '{"ms":8640000000000001}',
    });
    expectGraphError(advanced, await advanced.json(), { status: 400, code: "BadRequest", message: /last instant/ });
    expect(() => sim.clock.advance(8.64e15)).toThrow(RangeError);
    const [response, body] = await answer(call("GET", `${profiles}/0f0e0d0c-0b0a-4909-8807-060504030201`));
    expectGraphError(response, body, { status: 404, code: "itemNotFound" });
  });

  test("a body is measured for depth without parsing it, strings skipped", () => {
    expect(nestsDeeperThan(`[${"[".repeat(maxJsonDepth - 1)}${"]".repeat(maxJsonDepth)}`, maxJsonDepth)).toBe(false);
    expect(nestsDeeperThan("[".repeat(maxJsonDepth + 1), maxJsonDepth)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ a: "[".repeat(1000), b: '\\"{{{{' }), maxJsonDepth)).toBe(false);
  });
});

describe("fuzz regressions over a socket: a request URL no URL can hold", () => {
  test.each([
    [
      "Host: [::1",
      "/beta/education/synchronizationProfiles",
      "http://127.0.0.1:4011/beta/education/synchronizationProfiles",
    ],
    ["Host: a b", "/x", "http://127.0.0.1:4011/x"],
    ["Host: 127.0.0.1", "//%zz/", "http://127.0.0.1//%zz/"],
    [
      "Host: 127.0.0.1",
      "//beta/education/synchronizationProfiles",
      "http://127.0.0.1//beta/education/synchronizationProfiles",
    ],
  ])("%s, target %s: %s", (host, target, want) => {
    expect(requestUrl(target, host.slice("Host: ".length), "http://127.0.0.1:4011").href).toBe(want);
  });

  test("GET … Host: [::1 is answered, where it threw in the request handler and took the server down", async () => {
    const simulator = await startSimulator({ clock: "virtual", uploads: "off" });
    try {
      const raw = "GET /beta/education/synchronizationProfiles HTTP/1.1\r\nHost: [::1\r\n\r\n";
      const answered = await sendRaw(simulator.url, new Uint8Array(Buffer.from(raw)), 5000);
      expect(answered.statuses).toEqual([401]);
      // `//beta/…` is a path that names no operation, not a request to the host "beta".
      const host = new URL(simulator.url).host;
      const slashes = await sendRaw(
        simulator.url,
        new Uint8Array(Buffer.from(`GET //beta/education/synchronizationProfiles HTTP/1.1\r\nHost: ${host}\r\n\r\n`)),
        5000,
      );
      expect(slashes.statuses).toEqual([400]);
    } finally {
      await simulator.close();
    }
  });
});

// Found by model checking (lifecycle-model.test.ts), each the shrunk sequence of operations.
describe("model-checking regressions: the shrunk sequences", () => {
  const status = async (call: SimCall, id: string) =>
    (await call("GET", `${profiles}/${id}/profileStatus`, { headers: { prefer: "include-unknown-enum-members" } })).body
      .status;

  test("create(csv), advance(1000 ms), reset: 409, as resume (it started a sync of files never verified)", async () => {
    const { sim, call } = inProcessSimulator({ timing: { provisioningMs: 1000 } });
    const id = await createProvisioned(call, sim, structuredClone(csvProfileRequest) as Record<string, unknown>);
    const [response, body] = await answer(call("POST", `${profiles}/${id}/reset`));
    expectGraphError(response, body, { status: 409, code: "conflict", message: /call start/ });
    expect(await status(call, id)).toBe("paused");
  });

  test("create(powerSchool), advance(1700 ms), patch, advance(1000 ms): the sync runs on where it was (it restarted)", async () => {
    const { sim, call } = inProcessSimulator({ timing: { provisioningMs: 1000, syncPhaseMs: 700 } });
    const id = await createProvisioned(
      call,
      sim,
      structuredClone(powerSchoolProfileRequest) as Record<string, unknown>,
    );
    sim.clock.advance(700);
    expect(await status(call, id)).toBe("validating");
    expect((await call("PATCH", `${profiles}/${id}`, { body: { displayName: "Renamed" } })).status).toBe(204);
    sim.clock.advance(1000);
    expect(await status(call, id)).toBe("validating");
  });

  test("an update leaves a paused sync paused and a finished one finished", async () => {
    const { sim, call } = inProcessSimulator({ timing: { provisioningMs: 1000, syncPhaseMs: 700 } });
    const paused = await createProvisioned(
      call,
      sim,
      structuredClone(powerSchoolProfileRequest) as Record<string, unknown>,
    );
    const done = await createProvisioned(call, sim, structuredClone(csvProfileRequest) as Record<string, unknown>);
    expect((await call("POST", `${profiles}/${paused}/pause`)).status).toBe(200);
    expect((await call("POST", `${profiles}/${done}/start`)).status).toBe(200);
    sim.clock.advance(3 * 700);
    for (const id of [paused, done])
      expect((await call("PATCH", `${profiles}/${id}`, { body: { displayName: "x" } })).status).toBe(204);
    sim.clock.advance(1000);
    expect([await status(call, paused), await status(call, done)]).toEqual(["paused", "success"]);
    // Paused while validating (the second create moved the clock on): resume goes back there.
    expect((await call("POST", `${profiles}/${paused}/resume`)).status).toBe(200);
    expect(await status(call, paused)).toBe("validating");
  });
});
