import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunnerTestFile, RunnerTestSuite } from "vitest";
import { packageRoot } from "../src/package-root.js";

/** Where the consumer tests write; contracts/pacts only ever holds complete pact files. */
export const pactOutputDir = join(packageRoot, "contracts", ".pacts-tmp");
const publishedDir = join(packageRoot, "contracts", "pacts");
const passedMark = (pactFile: string) => join(pactOutputDir, `${pactFile}.passed`);

/**
 * A consumer test file's `afterAll`: marks its pact file as written by a run in which every
 * interaction passed. Only marked pact files are published; a failed or interrupted run leaves
 * contracts/pacts as it was.
 */
export function markPassed(pactFile: string, suite: Readonly<RunnerTestSuite | RunnerTestFile>): void {
  const passed = (task: { result?: { state?: string } }) => task.result?.state === "pass";
  const all = (s: Readonly<RunnerTestSuite | RunnerTestFile>): boolean =>
    s.tasks.every((task) => (task.type === "suite" ? all(task) : passed(task) || task.mode === "skip"));
  if (all(suite)) writeFileSync(passedMark(pactFile), "");
}

/**
 * vitest globalSetup of the contract tier. Pact files are build output: each run writes them
 * afresh into a scratch folder (so deleted interactions do not linger), and the teardown moves
 * the ones whose every interaction passed into contracts/pacts, replacing what was there.
 * Anything reading contracts/pacts meanwhile (other test tiers, a verifier) sees the previous
 * files whole, never a half-written or partial one.
 */
export default function setup(): () => void {
  rmSync(pactOutputDir, { recursive: true, force: true });
  mkdirSync(pactOutputDir, { recursive: true });
  return () => {
    const written = readdirSync(pactOutputDir).filter((name) => name.endsWith(".json"));
    const passed = written.filter((name) => existsSync(passedMark(name)));
    if (passed.length > 0 && passed.length === written.length) {
      mkdirSync(publishedDir, { recursive: true });
      for (const stale of readdirSync(publishedDir).filter(
        (name) => name.endsWith(".json") && !passed.includes(name),
      )) {
        rmSync(join(publishedDir, stale));
      }
      for (const name of passed) renameSync(join(pactOutputDir, name), join(publishedDir, name));
    }
    rmSync(pactOutputDir, { recursive: true, force: true });
  };
}
