import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPrismMock } from "../../mocks/prism/start-prism-mock.js";
import { startSimulator } from "../../mocks/simulator/start-simulator.js";
import { renderDocsSite } from "../../src/site/docs-site.js";

/**
 * Both servers serve the site `sds-kit docs` writes at /_sds/docs/, beside the admin API, and
 * not at all when it is off (`--no-admin`, `admin: false`): then the path is unknown like any other.
 */
const servers: Record<string, { url: string; close(): Promise<void> }> = {};

beforeAll(async () => {
  const [simulator, simulatorOff, mock, mockOff] = await Promise.all([
    startSimulator({ uploads: "off" }),
    startSimulator({ uploads: "off", admin: false }),
    startPrismMock(),
    startPrismMock({ admin: false }),
  ]);
  Object.assign(servers, { simulator, simulatorOff, mock, mockOff });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

const site = renderDocsSite();
const expectedTypes: Record<string, RegExp> = {
  "index.html": /^text\/html; charset=utf-8$/,
  "lifecycle.svg": /^image\/svg\+xml/,
  "redoc.standalone.js": /^text\/javascript/,
  "site.css": /^text\/css/,
};

describe.each([
  ["the simulator", "simulator"],
  ["the Prism mock", "mock"],
])("%s", (_, key) => {
  const url = () => servers[key]?.url ?? "";

  test("redirects /_sds/docs to /_sds/docs/, where the pages' relative links work", async () => {
    const response = await fetch(`${url()}/_sds/docs`, { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/_sds/docs/");
  });

  test("serves the site's every file, byte for byte what sds-kit docs writes, with its type and the CSP", async () => {
    expect(site.length).toBe(8);
    for (const file of site) {
      const response = await fetch(`${url()}/_sds/docs/${file.path}`);
      expect(response.status, file.path).toBe(200);
      expect(response.headers.get("content-type"), file.path).toMatch(expectedTypes[file.path] ?? /./);
      expect(response.headers.get("content-security-policy"), file.path).toMatch(/^default-src 'none'; /);
      expect(await response.text(), file.path).toBe(file.body);
    }
  });

  test("/_sds/docs/ is the reference, and a file the site lacks is the kit's 404", async () => {
    const index = await fetch(`${url()}/_sds/docs`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('"operationId":"createSynchronizationProfile"');
    expect((await fetch(`${url()}/_sds/docs/missing.html`)).status).toBe(404);
  });
});

describe.each([
  ["the simulator with admin: false", "simulatorOff"],
  ["the Prism mock with admin: false", "mockOff"],
])("%s", (_, key) => {
  test.each(["/_sds/docs", "/_sds/docs/", "/_sds/docs/index.html"])(
    "answers %s as a path Graph does not have",
    async (path) => {
      const response = await fetch(`${servers[key]?.url ?? ""}${path}`, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        "Resource not found for the segment '_sds'.",
      );
    },
  );
});
