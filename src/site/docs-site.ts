import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { packageRoot } from "../package-root.js";
import { loadSpec } from "../spec/load-spec.js";
import { type LifecycleGraph, readLifecycleGraph } from "./lifecycle-graph.js";
import { renderLifecycleSvg } from "./lifecycle-svg.js";
import { renderMarkdown } from "./markdown-page.js";
import { referenceSpec } from "./reference-spec.js";
import { escapeHtml, navHeight, page, siteCss } from "./site-pages.js";
import { sourceBadgeHtml, sourceKinds } from "./source-badges.js";

/**
 * The documentation site: static files that work offline, from a file server or from the
 * simulator and the Prism mock at /_sds/docs. The same spec gives the same bytes: no dates, no
 * random ids, files in name order.
 *
 *   index.html       the API reference (Redoc): every operation, its parameters, request and
 *                    response schemas, named examples, permissions, and a badge per source
 *   decisions.html   spec/decisions.md, its anchors kept (the badges link to them)
 *   provenance.html  generated/PROVENANCE.md, and what each kind of source means
 *   lifecycle.html   the simulator's lifecycle (lifecycle.svg) and its transitions, with sources
 */
export interface DocsSiteFile {
  /** The file's name in the site. */
  path: string;
  contentType: string;
  body: string;
}

export interface DocsSiteOptions {
  /** Where to write the site; created if missing. The site's own files in it are overwritten. */
  outDir: string;
}

export interface DocsSite {
  /** The absolute path of the site's folder. */
  outDir: string;
  /** The files written, in name order. */
  files: string[];
}

const require = createRequire(import.meta.url);

/** Redoc 2's only request of its own: the logo in the sidebar's footer. The site carries it inline. */
const redocLogoUrl = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const inlineLogo =
  "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22%3E%3Ccircle cx=%228%22 cy=%228%22 r=%226%22 fill=%22%23888%22/%3E%3C/svg%3E";

/** Redoc's standalone bundle, as the installed package ships it, made to load nothing else. */
function redocBundle(): { script: string; license: string } {
  const path = require.resolve("redoc/bundles/redoc.standalone.js");
  const script = readFileSync(path, "utf8");
  const occurrences = script.split(redocLogoUrl).length - 1;
  if (occurrences !== 1)
    throw new Error(
      `docs: expected Redoc's bundle (${path}) to name its logo URL once, found ${occurrences}: check the Redoc version`,
    );
  return {
    // The source map is not shipped with the site, so the comment that points at it goes too.
    script: script.replace(redocLogoUrl, inlineLogo).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"),
    license: readFileSync(`${path}.LICENSE.txt`, "utf8"),
  };
}

const redocOptions = {
  scrollYOffset: navHeight,
  expandResponses: "200,201,202,204",
  jsonSampleExpandLevel: "all",
  hideHostname: false,
  sortPropsAlphabetically: false,
  theme: {
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
      code: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
    },
  },
};

/** JSON inside a <script> element: `<` escaped, so that nothing in a description can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function referencePage(): string {
  const spec = referenceSpec(loadSpec());
  return page({
    file: "index.html",
    title: "API reference",
    head: `<style>.sds-nav{position:fixed;left:0;right:0}#redoc{padding-top:${navHeight}px}</style>`,
    body: [
      '<div id="redoc"></div>',
      '<script src="redoc.standalone.js"></script>',
      `<script id="sds-spec" type="application/json">${scriptJson(spec)}</script>`,
      '<script>Redoc.init(JSON.parse(document.getElementById("sds-spec").textContent), ' +
        `${scriptJson(redocOptions)}, document.getElementById("redoc"));</script>`,
    ].join("\n"),
  });
}

function decisionsPage(): string {
  const markdown = readFileSync(join(packageRoot, "spec", "decisions.md"), "utf8");
  return page({
    file: "decisions.html",
    title: "Decisions",
    body: `<main class="sds-page">\n${renderMarkdown(markdown, "spec/decisions.md")}</main>`,
  });
}

function provenancePage(): string {
  const markdown = readFileSync(join(packageRoot, "generated", "PROVENANCE.md"), "utf8");
  const kindIds = ["source-kinds", ...sourceKinds.map(({ kind }) => kind)];
  const kinds = [
    '<h2 id="source-kinds">Source kinds</h2>',
    "<p>Every badge in the reference names one source, in the grammar of <code>x-sds-source</code> " +
      '(<a href="decisions.html#provenance">decisions: provenance</a>). Its first word is its kind:</p>',
    '<dl class="sds-kinds">',
    ...sourceKinds.map(
      ({ kind, title, description }) => `<dt id="${kind}">${escapeHtml(title)}</dt><dd>${escapeHtml(description)}</dd>`,
    ),
    "</dl>",
  ].join("\n");
  return page({
    file: "provenance.html",
    title: "Provenance",
    body: `<main class="sds-page">\n${renderMarkdown(markdown, "generated/PROVENANCE.md", kindIds)}${kinds}\n</main>`,
  });
}

function lifecyclePage(graph: LifecycleGraph, svg: string): string {
  const rows = graph.machines.flatMap((machine) =>
    machine.transitions.map((t) => {
      const note = t.noop ? " (no-op)" : t.dynamic ? " (computed)" : "";
      return `<tr><td>${escapeHtml(machine.name)}</td><td><code>${escapeHtml(t.from)}</code></td><td><code>${escapeHtml(t.event)}</code></td><td><code>${escapeHtml(t.to)}</code>${note}</td><td>${sourceBadgeHtml(t.source)}</td></tr>`;
    }),
  );
  const body = [
    '<main class="sds-page">',
    '<h1 id="lifecycle">The simulator\'s lifecycle</h1>',
    "<p>A synchronization profile's <code>state</code> (the documented provisioning and deletion states) and, once it " +
      "is provisioned, its sync <code>status</code>, as the simulator's tables (<code>mocks/simulator/lifecycle.ts</code>) " +
      "define them. Every state is a box and every transition an edge labelled with the event that fires it: create and " +
      "the other requests, the timed steps, and what the admin API seeds. An event a state does not list is a " +
      '<code>409 conflict</code> naming the state (<a href="decisions.html#state-conflict">decisions: state-conflict</a>; ' +
      '<a href="decisions.html#lifecycle">lifecycle</a>).</p>',
    '<p><a href="lifecycle.svg">lifecycle.svg</a> is the diagram on its own.</p>',
    `<figure class="sds-figure">\n${svg.trimEnd()}\n</figure>`,
    '<h2 id="transitions">Transitions and their sources</h2>',
    "<table><thead><tr><th>Machine</th><th>From</th><th>Event</th><th>To</th><th>Source</th></tr></thead><tbody>",
    ...rows,
    "</tbody></table>",
    "</main>",
  ].join("\n");
  return page({ file: "lifecycle.html", title: "Lifecycle", body });
}

const html = "text/html; charset=utf-8";

/** Every file of the site, in name order, in memory. */
export function renderDocsSite(): DocsSiteFile[] {
  const graph = readLifecycleGraph();
  const svg = renderLifecycleSvg(graph);
  const redoc = redocBundle();
  const files: DocsSiteFile[] = [
    { path: "index.html", contentType: html, body: referencePage() },
    { path: "decisions.html", contentType: html, body: decisionsPage() },
    { path: "provenance.html", contentType: html, body: provenancePage() },
    { path: "lifecycle.html", contentType: html, body: lifecyclePage(graph, svg) },
    { path: "lifecycle.svg", contentType: "image/svg+xml; charset=utf-8", body: svg },
    { path: "site.css", contentType: "text/css; charset=utf-8", body: siteCss },
    { path: "redoc.standalone.js", contentType: "text/javascript; charset=utf-8", body: redoc.script },
    { path: "redoc.standalone.js.LICENSE.txt", contentType: "text/plain; charset=utf-8", body: redoc.license },
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes the site into `outDir` (`sds-kit docs --out DIR`). */
export async function writeDocsSite(options: DocsSiteOptions): Promise<DocsSite> {
  const outDir = resolve(options.outDir);
  const files = renderDocsSite();
  await mkdir(outDir, { recursive: true });
  for (const file of files) await writeFile(join(outDir, file.path), file.body);
  return { outDir, files: files.map((file) => file.path) };
}
