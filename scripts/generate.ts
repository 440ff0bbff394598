/**
 * `npm run generate` writes everything derived from spec/ into generated/.
 * `npm run generate:check` (--check) compares instead, touches nothing, and exits 1 on drift.
 * `--root DIR` works on another checkout laid out the same way (the kit's tests use a copy).
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/package-root.js";
import { findDrift, layoutOf, renderGenerated, writeGenerated } from "./codegen/render-generated.js";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: "boolean" }, root: { type: "string" } } });
  const root = values.root ? resolve(values.root) : packageRoot;
  const files = await renderGenerated(layoutOf(root));
  const shown = (paths: string[]) => paths.map((path) => relative(root, path)).join(", ");
  if (values.check) {
    const drifted = findDrift(files);
    if (drifted.length > 0) {
      console.error(`generated/ is out of date with spec/ (${shown(drifted)}). Run \`npm run generate\` and commit.`);
      return 1;
    }
    console.log("generated/ matches spec/");
    return 0;
  }
  const written = writeGenerated(files);
  console.log(written.length > 0 ? `wrote ${shown(written)}` : "generated/ was already up to date");
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
