import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The kit's own folder. Code runs from `src/` under vitest and tsx and from `dist/src/` once
 * built, so the depth differs; walking up to our package.json finds the same root from both.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "spec", "openapi.yaml"))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`sds-contract-kit: cannot find the package root above ${start}`);
    }
    dir = parent;
  }
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

export const bundledSpecPath = join(packageRoot, "generated", "openapi.json");
