import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/package-root.js";

/** vitest globalSetup of the contract tier: pact files are build output, written afresh each run. */
export default function clearPacts(): void {
  const dir = join(packageRoot, "contracts", "pacts");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
