import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { promisify } from "node:util";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from "vitest";
import { operations } from "../../generated/route-table.js";
import { packageRoot } from "../../src/package-root.js";
import { launchOffline } from "../support/chromium.js";
import { sdsKit } from "../support/cli-process.js";
import { referenceAvailable, seedCreatePage } from "../support/reference.js";

/**
 * The site `sds-kit docs` writes, opened in headless Chromium from a file server on loopback,
 * with every request that would leave the machine blocked: the reference renders every
 * operation, the create operation shows the documentation's own request, a provenance badge
 * lands on its decision, and nothing errs or reaches out. A screenshot is kept in test-artifacts/.
 */

const artifacts = join(packageRoot, "test-artifacts", "docs-site");
const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

let siteDir: string;
let server: Server;
let base: string;
let browser: Awaited<ReturnType<typeof launchOffline>>;
/** Every request the file server answered, and the ones it had no file for. */
const served: string[] = [];
const notFound: string[] = [];

beforeAll(async () => {
  siteDir = mkdtempSync(join(tmpdir(), "sds-docs-e2e-"));
  // The real binary, as a user runs it.
  await promisify(execFile)(process.execPath, [sdsKit, "docs", "--out", siteDir], { cwd: packageRoot });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://site").pathname)).replace(/^\/+/, "");
    const file = join(siteDir, path || "index.html");
    readFile(file).then(
      (body) => {
        served.push(path);
        res.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" });
        res.end(body);
      },
      () => {
        notFound.push(path);
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchOffline(inject("chromium"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

/** Console errors, uncaught errors and failed requests of every page the tests open. */
const problems: string[] = [];
function watch(page: Page): Page {
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  return page;
}

// Checked after each test, so that a problem fails the test that met it.
afterEach(() => {
  expect(problems, "console errors, page errors, failed requests").toEqual([]);
  expect(browser.blocked, "requests that would have left the machine").toEqual([]);
  expect(notFound, "requests for files the site does not have").toEqual([]);
});

const operationIds = operations.map((op) => op.operationId);

/** Opens the reference and waits until Redoc has rendered every operation (each opens with its operationId). */
async function openReference(context: BrowserContext): Promise<Page> {
  const page = watch(await context.newPage());
  await page.goto(`${base}index.html`);
  await page.waitForFunction(
    // A string: it runs in the page.
    `${JSON.stringify(operationIds)}.every((id) => document.body.innerText.includes("operationId: " + id))`,
    undefined,
    { timeout: 30_000, polling: 200 },
  );
  return page;
}

describe("the documentation site, in headless Chromium with the network blocked", () => {
  // Redoc renders the reference once; the tests below move about in it.
  let page: Page;
  beforeAll(async () => {
    page = await openReference(browser.context);
  }, 60_000);

  test("the reference renders every operation, from the site's own files only", async ({ annotate }) => {
    const shown = await page.locator("code.sds-opid").allTextContents();
    expect(shown.sort()).toEqual(operationIds.map((id) => `operationId: ${id}`).sort());
    expect(served.sort()).toEqual(expect.arrayContaining(["index.html", "redoc.standalone.js", "site.css"]));
    mkdirSync(artifacts, { recursive: true });
    const screenshot = join(artifacts, "reference.png");
    await page.screenshot({ path: screenshot });
    await annotate(`screenshot of the reference: ${screenshot}`, "artifact");
  });

  test.skipIf(!referenceAvailable)(
    "the create operation's request sample is the documentation's seed request, labelled as Microsoft's",
    async ({ annotate }) => {
      // Within the page: Redoc follows the anchor without rendering again.
      await page.goto(`${base}index.html#operation/createSynchronizationProfile`);
      const samples = await page
        .locator('[data-section-id="operation/createSynchronizationProfile"] h3', { hasText: "Request samples" })
        .locator("xpath=..")
        // biome-ignore lint/performance/useDomNodeTextContent: what the reader sees is the point, not the DOM's text
        .innerText();
      // Distinctive values of the original page's request: its generation-A @odata.type and its licence SKU.
      const seed = seedCreatePage().request as {
        dataProvider: { "@odata.type": string };
        licensesToAssign: { skuIds: string[] }[];
      };
      expect(seed.dataProvider["@odata.type"]).toBe("#microsoft.graph.csvDataProvider");
      expect(samples).toContain(`"${seed.dataProvider["@odata.type"]}"`);
      expect(samples).toContain(`"${seed.licensesToAssign[0]?.skuIds[0]}"`);
      expect(samples).toContain("Documented (verbatim)");
      const screenshot = join(artifacts, "create-operation.png");
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: screenshot });
      await annotate(`screenshot of createSynchronizationProfile: ${screenshot}`, "artifact");
    },
  );

  test("a provenance badge opens the decision it names", async () => {
    const badge = page
      .locator('[data-section-id="operation/createSynchronizationProfile"] a.sds-source[href^="decisions.html#"]')
      .first();
    const href = (await badge.getAttribute("href")) ?? "";
    const anchor = href.slice("decisions.html#".length);
    expect(anchor).toMatch(/^[a-z0-9-]+$/);
    await badge.click();
    await page.waitForURL(`${base}decisions.html#${anchor}`);
    expect(await page.locator(`[id="${anchor}"]`).textContent()).toBe(anchor);
  });

  test("the lifecycle page shows both machines", async () => {
    const lifecycle = watch(await browser.context.newPage());
    await lifecycle.goto(`${base}lifecycle.html`);
    const boxes = await lifecycle.locator("svg.sds-lifecycle g.state").all();
    const states = await Promise.all(boxes.map((box) => box.getAttribute("data-state")));
    // A few states written out; the unit tests hold the diagram to the whole tables.
    expect(states).toEqual(
      expect.arrayContaining(["absent", "provisioning", "deletionFailed", "paused", "quarantined"]),
    );
    const box = await lifecycle.locator("svg.sds-lifecycle").boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(600);
  });
});
