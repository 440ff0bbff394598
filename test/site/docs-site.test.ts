import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import { operations } from "../../generated/route-table.js";
import { packageRoot } from "../../src/package-root.js";
import { buildDocsSite } from "../../src/site/build-docs-site.js";
import { renderDocsSite } from "../../src/site/docs-site.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import { parseSource } from "../../src/spec/provenance.js";

const scratch = mkdtempSync(join(tmpdir(), "sds-docs-site-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const site = new Map(renderDocsSite().map((file) => [file.path, file.body]));
const fileOf = (name: string) => site.get(name) ?? "";
const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
/** The spec the reference renders, as index.html embeds it. */
const embedded = JSON.parse(
  (
    /<script id="sds-spec" type="application\/json">([\s\S]*?)<\/script>/.exec(fileOf("index.html"))?.[1] ?? "{}"
  ).replace(/\\u003c/g, "<"),
) as { paths: Record<string, Record<string, { operationId?: string; description?: string }>> };

describe("sds-kit docs: the site", () => {
  test("is these files", () => {
    expect([...site.keys()]).toEqual([
      "decisions.html",
      "index.html",
      "lifecycle.html",
      "lifecycle.svg",
      "provenance.html",
      "redoc.standalone.js",
      "redoc.standalone.js.LICENSE.txt",
      "site.css",
    ]);
  });

  test("builds the same bytes twice, whatever the date and whatever Math.random and randomUUID give", async () => {
    const first = await buildDocsSite({ outDir: join(scratch, "first") });
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-07-04T12:34:56Z") });
    vi.spyOn(Math, "random").mockReturnValue(0.123456789);
    vi.spyOn(globalThis.crypto, "randomUUID").mockReturnValue("00000000-0000-4000-8000-000000000000");
    const second = await buildDocsSite({ outDir: join(scratch, "second") });
    expect(second.files).toEqual(first.files);
    expect(readdirSync(second.outDir).sort()).toEqual([...first.files].sort());
    for (const name of first.files) {
      const a = readFileSync(join(first.outDir, name));
      const b = readFileSync(join(second.outDir, name));
      expect(a.equals(b), `${name} differs between builds`).toBe(true);
    }
  });

  test("every page carries the Content-Security-Policy and links every other page", () => {
    const pages = ["index.html", "decisions.html", "provenance.html", "lifecycle.html"];
    for (const name of pages) {
      const html = fileOf(name);
      expect(html, name).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
      for (const other of pages) expect(html, `${name} links ${other}`).toContain(`href="${other}"`);
    }
  });

  test("Redoc loads nothing from the network: its logo is inline and its source map comment is gone", () => {
    const bundle = fileOf("redoc.standalone.js");
    expect(bundle.length).toBeGreaterThan(500_000);
    expect(bundle).not.toContain("cdn.redoc.ly");
    expect(bundle).not.toContain("sourceMappingURL=redoc.standalone.js.map");
    expect(fileOf("redoc.standalone.js.LICENSE.txt")).toContain("MIT");
  });
});

describe("sds-kit docs: the reference", () => {
  test.each(operations.map((op) => [op.operationId, op.method.toLowerCase(), op.path] as const))(
    "%s opens with its operationId and lists its permissions and statuses",
    (operationId, method, path) => {
      const operation = embedded.paths[path]?.[method];
      expect(operation?.operationId).toBe(operationId);
      expect(operation?.description).toMatch(new RegExp(`^<code class="sds-opid">operationId: ${operationId}</code>`));
      expect(operation?.description).toMatch(/\*\*Permissions:\*\* delegated `EduAdministration\./);
      expect(operation?.description).toMatch(/\*\*Statuses:\*\* `\d{3}` <a class="sds-source/);
    },
  );

  test("every example says whether it is Microsoft's, rebuilt, captured from the service, or the kit's", () => {
    const labels = new Map([
      ["verbatim", "Documented (verbatim): "],
      ["rebuilt", "Rebuilt from the documentation: "],
      ["captured", "Captured from the service: "],
      ["illustrative", "Illustrative: "],
    ]);
    const examples: { kind: string; summary: string }[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item);
        return;
      }
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (typeof record["x-sds-example"] === "string")
        examples.push({ kind: record["x-sds-example"], summary: String(record.summary) });
      for (const value of Object.values(record)) visit(value);
    };
    visit(embedded);
    expect(examples.length).toBeGreaterThan(40);
    expect(new Set(examples.map((e) => e.kind))).toEqual(new Set(labels.keys()));
    for (const { kind, summary } of examples) expect(summary.startsWith(labels.get(kind) ?? "?"), summary).toBe(true);
  });

  test("each kit and observed source is a badge linking to its entry of decisions.html", () => {
    const decisions = new Set<string>();
    JSON.stringify(loadSpec(), (key, value) => {
      if (key === "x-sds-source") {
        for (const source of typeof value === "string" ? [value] : Object.values(value as Record<string, string>)) {
          const entry = parseSource(source)?.decision;
          if (entry) decisions.add(entry);
        }
      }
      return value;
    });
    expect(decisions.size).toBeGreaterThan(10);
    const index = fileOf("index.html");
    const anchors = idsOf(fileOf("decisions.html"));
    for (const entry of decisions) {
      expect(index, entry).toContain(`href=\\"decisions.html#${entry}\\"`);
      expect(anchors.has(entry), `decisions.html#${entry}`).toBe(true);
    }
  });

  test("every link of the reference to another page lands on an anchor there", () => {
    const links = [...fileOf("index.html").matchAll(/href=\\"(decisions|provenance)\.html#([\w-]+)\\"/g)];
    expect(links.length).toBeGreaterThan(100);
    const anchors = { decisions: idsOf(fileOf("decisions.html")), provenance: idsOf(fileOf("provenance.html")) };
    const missing = links.filter(([, page, id]) => !anchors[page as keyof typeof anchors].has(id));
    expect(missing.map(([link]) => link)).toEqual([]);
  });
});

describe("sds-kit docs: decisions and provenance", () => {
  const markdown = readFileSync(join(packageRoot, "spec", "decisions.md"), "utf8");

  test("every entry of decisions.md keeps its anchor, and the table's links land on them", () => {
    const anchors = idsOf(fileOf("decisions.html"));
    const headings = [...markdown.matchAll(/^## ([a-z0-9-]+)$/gm)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThan(40);
    expect(headings.filter((id) => !anchors.has(id))).toEqual([]);
    const tableLinks = [...markdown.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]);
    expect(tableLinks.filter((id) => !anchors.has(id))).toEqual([]);
    // Written out, in case the ledger and the page both lost it.
    for (const id of ["create-status", "lifecycle", "closed-requests"]) expect(anchors.has(id), id).toBe(true);
  });

  test("links between the two pages point at the site's pages, not the repository's files", () => {
    expect(fileOf("decisions.html")).toContain('href="provenance.html"');
    expect(fileOf("provenance.html")).toContain('href="decisions.html#client-request-id"');
    for (const name of ["decisions.html", "provenance.html"]) expect(fileOf(name)).not.toMatch(/href="[^"]*\.md\b/);
    for (const kind of ["documented", "csdl", "graph-convention", "kit"])
      expect(idsOf(fileOf("provenance.html")).has(kind), kind).toBe(true);
  });
});
