import { importPart } from "../parts/optional-parts.js";
import type { DocsSite, DocsSiteOptions } from "./docs-site.js";

export type { DocsSite, DocsSiteFile, DocsSiteOptions } from "./docs-site.js";

/**
 * Writes the documentation site into `outDir`. Its renderers (Redoc's bundle, marked) are an
 * optional part of the kit: they load here, on first use, and a missing one is a MissingPartError
 * naming the packages to add.
 */
export async function buildDocsSite(options: DocsSiteOptions): Promise<DocsSite> {
  const { writeDocsSite } = await importPart("docsSite", () => import("./docs-site.js"));
  return writeDocsSite(options);
}
