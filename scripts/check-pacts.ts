/**
 * `npm run pacts:check`: the pact files the consumer tests just wrote must be the committed ones.
 * They are the kit's published contract; a change to an interaction must be committed with them.
 */
import { execFileSync } from "node:child_process";
import { packageRoot } from "../src/package-root.js";

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: packageRoot, encoding: "utf8" });
}

try {
  const changed = git("status", "--porcelain", "--", "contracts/pacts").trim();
  if (changed) {
    console.error(`contracts/pacts differs from what is committed; run npm run test:contract and commit:\n${changed}`);
    process.exitCode = 1;
  } else {
    console.log("contracts/pacts matches the committed pact files");
  }
} catch (error) {
  console.error(
    `pacts:check needs a git checkout: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
  );
  process.exitCode = 1;
}
