/**
 * `npm run pact:publish`: publishes contracts/pacts to a Pact Broker with the standard Pact CLI.
 * Configured by PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and
 * PACT_BROKER_PASSWORD); the consumer version is the package version plus the git commit, the
 * branch the git branch (or PACT_BROKER_BRANCH).
 * `-- --dry-run` checks the configuration and prints the command without contacting the broker.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/package-root.js";

function git(...args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, { cwd: packageRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

function fail(message: string): never {
  console.error(`pact:publish: ${message}`);
  process.exit(1);
}

const dryRun = process.argv.includes("--dry-run");
const env = process.env;
const baseUrl = env.PACT_BROKER_BASE_URL;
if (!baseUrl) fail("PACT_BROKER_BASE_URL is not set (the broker to publish to)");
if (!/^https?:\/\//.test(baseUrl)) fail(`PACT_BROKER_BASE_URL '${baseUrl}' is not an http(s) URL`);
const hasToken = Boolean(env.PACT_BROKER_TOKEN);
const hasBasicAuth = Boolean(env.PACT_BROKER_USERNAME && env.PACT_BROKER_PASSWORD);
if (!hasToken && !hasBasicAuth) fail("set PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD");

const pactDir = join(packageRoot, "contracts", "pacts");
const pacts = existsSync(pactDir) ? readdirSync(pactDir).filter((name) => name.endsWith(".json")) : [];
if (pacts.length === 0) fail(`no pact files in ${pactDir}; run npm run test:contract first`);

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
const commit = git("rev-parse", "--short", "HEAD");
const branch = env.PACT_BROKER_BRANCH ?? git("rev-parse", "--abbrev-ref", "HEAD");
const args = [
  "publish",
  pactDir,
  "--broker-base-url",
  baseUrl,
  "--consumer-app-version",
  commit ? `${version}+${commit}` : version,
];
if (branch && branch !== "HEAD") args.push("--branch", branch);
// The CLI reads the credentials from the environment itself; they never appear on a command line.

const cli = join(packageRoot, "node_modules", ".bin", "pact-broker");
if (!existsSync(cli)) fail(`the Pact CLI is not installed (${cli}); run npm ci`);
const shown = `pact-broker ${args.join(" ")}  (credentials from ${hasToken ? "PACT_BROKER_TOKEN" : "PACT_BROKER_USERNAME/PASSWORD"})`;
if (dryRun) {
  console.log(`would publish ${pacts.length} pact file(s): ${pacts.join(", ")}`);
  console.log(shown);
  process.exit(0);
}
console.log(shown);
const result = spawnSync(cli, args, { stdio: "inherit", env: { ...env, PACT_DO_NOT_TRACK: "true" } });
process.exit(result.status ?? 1);
