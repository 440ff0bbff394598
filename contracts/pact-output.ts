import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/package-root.js";

/** Where the consumer tests write; contracts/pacts only ever holds complete pact files. */
export const pactOutputDir = join(packageRoot, "contracts", ".pacts-tmp");
const publishedDir = join(packageRoot, "contracts", "pacts");

/**
 * vitest globalSetup of the contract tier. Pact files are build output: each run writes them
 * afresh into a scratch folder (so deleted interactions do not linger), and the teardown moves
 * them into contracts/pacts, replacing what was there. Anything reading contracts/pacts meanwhile
 * (other test tiers, a verifier) sees the previous files whole, never a half-written folder.
 */
export default function setup(): () => void {
  rmSync(pactOutputDir, { recursive: true, force: true });
  mkdirSync(pactOutputDir, { recursive: true });
  return () => {
    const written = readdirSync(pactOutputDir).filter((name) => name.endsWith(".json"));
    if (written.length === 0) return;
    mkdirSync(publishedDir, { recursive: true });
    for (const stale of readdirSync(publishedDir).filter((name) => name.endsWith(".json") && !written.includes(name))) {
      rmSync(join(publishedDir, stale));
    }
    for (const name of written) renameSync(join(pactOutputDir, name), join(publishedDir, name));
    rmSync(pactOutputDir, { recursive: true, force: true });
  };
}
