import { relative } from "node:path";
import { parseArgs } from "node:util";
import { buildDocsSite } from "../../site/build-docs-site.js";
import { helpOption, UsageError, withUsageErrors } from "../args.js";
import type { CliStreams } from "../streams.js";

export const docsUsage = `Usage: sds-kit docs --out DIR

Builds the documentation site from the spec, as static files that work offline: the API reference
(every operation with its parameters, request and response schemas, named examples, permissions,
and a badge naming the source of each rule, linked to its decision), the decisions, the provenance
report, and the simulator's lifecycle as a diagram. The simulator and the Prism mock serve the same
site at /_sds/docs/. The same spec gives the same bytes.

Options:
  --out DIR      Where to write the site: created if missing; the site's files in it are overwritten
  -h, --help     Show this help

Examples:
  sds-kit docs --out site
  sds-kit docs --out public/api    # a folder to publish, e.g. with GitHub Pages
`;

export async function runDocs(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({ args, strict: true, options: { out: { type: "string" }, ...helpOption } }),
  );
  if (values.help) {
    streams.stdout.write(docsUsage);
    return 0;
  }
  const out = values.out;
  if (out === undefined || out.trim() === "") throw new UsageError("--out DIR is required: where to write the site");
  const site = await buildDocsSite({ outDir: out });
  const shown = relative(process.cwd(), site.outDir) || ".";
  streams.stdout.write(`wrote ${site.files.length} files to ${shown}; open ${shown}/index.html\n`);
  return 0;
}
