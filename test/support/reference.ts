import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";

/**
 * The source documentation, read where CI lays it (../shared/reference beside the clone) unless
 * SDS_REFERENCE_DIR says otherwise. The kit's examples claim to be verbatim copies; these helpers
 * read the originals to prove it.
 */
export const referenceDir = process.env.SDS_REFERENCE_DIR ?? join(packageRoot, "..", "shared", "reference");

/**
 * Microsoft's published CSV sample sets and the payloads captured from the live service
 * (`graph-payloads/`), each folder with its SOURCES.md; beside the reference unless
 * SDS_SAMPLES_DIR says otherwise.
 */
export const samplesDir = process.env.SDS_SAMPLES_DIR ?? join(referenceDir, "..", "samples");

/**
 * Whether the copies are there. A clone on its own has neither: the tests that compare the kit with
 * them are then skipped (`test.skipIf(!referenceAvailable)`), and test/support/source-copies.ts says
 * so, once per run.
 */
export const referenceAvailable = existsSync(join(referenceDir, "graph-sds-api.md"));
export const samplesAvailable = existsSync(join(samplesDir, "graph-payloads"));

/**
 * The few captured payloads the tests read, copied into the repository (test/captured/README.md)
 * so that a clone on its own runs those tests too.
 */
export const capturedDir = join(packageRoot, "test", "captured");

/** A payload of test/captured, parsed. */
export function readCaptured(file: string): unknown {
  return JSON.parse(readFileSync(join(capturedDir, file), "utf8"));
}

function read(name: string): string {
  return readFileSync(join(referenceDir, name), "utf8");
}

/** The JSON blocks under one `### <section>` heading of graph-sds-api.md §3, in order. */
export function referenceJsonBlocks(section: string): unknown[] {
  const text = read("graph-sds-api.md");
  const start = text.indexOf(`\n### ${section}`);
  if (start < 0) throw new Error(`reference has no section '### ${section}'`);
  const next = text.indexOf("\n#", start + 1);
  const body = text.slice(start, next < 0 ? undefined : next);
  return [...body.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => JSON.parse(match[1] ?? ""));
}

/** The request and response bodies of the original create page (the seed). */
export function seedCreatePage(): { request: unknown; response: unknown; responseStatusLine: string } {
  const text = read("seed-create-synchronizationProfile.md");
  const blocks = [...text.matchAll(/```http\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? "");
  const bodies = blocks.filter((block) => block.includes("{"));
  const [request, response] = bodies;
  if (request === undefined || response === undefined) throw new Error("seed page: expected a request and a response");
  const json = (block: string) => JSON.parse(block.slice(block.indexOf("{")));
  return {
    request: json(request),
    response: json(response),
    responseStatusLine: response.split("\n")[0] ?? "",
  };
}
