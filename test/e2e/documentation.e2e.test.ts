import { execFile } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSimulator } from "../../mocks/simulator/start-simulator.js";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";
import { exitOf, linesUntil, spawnTracked } from "../support/cli-process.js";
import { codeBlocks, documentationFiles } from "../support/readme.js";

const run = promisify(execFile);

/**
 * Every code block of every README and docs page runs, against the package as shipped: `npm pack`
 * puts the kit in a scratch project's node_modules (its dependencies linked from this checkout),
 * TypeScript blocks run there with `sds-contract-kit` resolving to it, and `sds-kit` commands run
 * its binary. `npm run` commands are the repository's own scripts and run here.
 */
let scratch: string;
let bin: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "sds-docs-"));
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
    cwd: packageRoot,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const installed = join(scratch, "node_modules", "sds-contract-kit");
  mkdirSync(installed, { recursive: true });
  await run("tar", ["-xzf", join(scratch, packed?.filename ?? ""), "-C", installed, "--strip-components=1"]);
  for (const name of readdirSync(join(packageRoot, "node_modules"))) {
    if (name === ".bin" || name.startsWith(".") || name === "sds-contract-kit") continue;
    symlinkSync(join(packageRoot, "node_modules", name), join(scratch, "node_modules", name));
  }
  bin = join(scratch, "node_modules", ".bin");
  mkdirSync(bin);
  symlinkSync(join(installed, "bin", "sds-kit.js"), join(bin, "sds-kit"));
  chmodSync(join(installed, "bin", "sds-kit.js"), 0o755);
  // The kit's own pact files, as shipped, where the READMEs' commands look for them.
  symlinkSync(join(installed, "contracts"), join(scratch, "contracts"));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "docs-scratch", type: "module", private: true }));
}, 120_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const files = documentationFiles();
const snippets = files.flatMap((file) =>
  codeBlocks(file, "ts").map((code, index) => [`${file} #${index + 1}`, code] as const),
);

describe.concurrent("TypeScript in the documentation, against the packed package", () => {
  test("there is some", () => {
    expect(snippets.length).toBeGreaterThan(4);
  });

  test.each(snippets)(
    "%s prints what its comments say",
    async (name, code) => {
      const expected = code
        .split("\n")
        .filter((line) => line.startsWith("// "))
        .map((line) => line.slice(3));
      expect(expected.length, "a snippet says what it prints, in // comments at its end").toBeGreaterThan(0);
      const file = join(scratch, `${name.replace(/\W+/g, "-")}.mts`);
      writeFileSync(file, code);
      const { stdout } = await run(join(packageRoot, "node_modules", ".bin", "tsx"), [file], { cwd: scratch });
      // What the snippet prints comes last (Pact's verifier prints its report before it).
      expect(stdout.trimEnd().split("\n").slice(-expected.length)).toEqual(expected);
    },
    60_000,
  );
});

/** Commands another part of CI runs as written: they are checked to be there, not run twice. */
const runElsewhere: { pattern: RegExp; where: string }[] = [
  { pattern: /^npm ci$/, where: ".ci/run" },
  { pattern: /^npm test$/, where: ".ci/run" },
  { pattern: /^npm run bench:install\b/, where: "test/packed/install-bench.packed.test.ts" },
  { pattern: /^npm run bench\b/, where: "test/e2e/bench.e2e.test.ts" },
  { pattern: /^npm run test:node-versions$/, where: "package.json" },
  // Needs a PostgreSQL: run on one of its own, as written but for the database's URL and the port.
  { pattern: /^SDS_STORE_URL=postgres:\/\//, where: "test/e2e/sandbox.e2e.test.ts" },
  // Installs into a project of a team's, from the packed tarball: each is run there, as written.
  { pattern: /^npm install --save-dev \.\/sds-contract-kit-[\d.]+\.tgz$/, where: "test/e2e/core-install.e2e.test.ts" },
  {
    pattern: /^npm install --save-dev \.\/sds-contract-kit-[\d.]+\.tgz \S/,
    where: "test/packed/optional-parts.packed.test.ts",
  },
];

/**
 * Pages whose commands are for another place than this checkout (an example project of a team's),
 * and the test that runs them there, in order.
 */
const pagesRunElsewhere: { page: string; where: string }[] = [
  { page: "examples/consumer-project/README.md", where: "test/packed/consumer-path.packed.test.ts" },
];

/** Each command once, with the pages that give it. */
const commands = [
  ...files
    .filter((file) => !pagesRunElsewhere.some(({ page }) => page === file))
    .flatMap((file) =>
      codeBlocks(file, "sh").flatMap((block) =>
        block
          .split("\n")
          .map((line) => line.replace(/\s+#\s.*$/, "").trim())
          .filter((line) => line.length > 0 && !line.startsWith("#"))
          .map((command) => [command, file] as const),
      ),
    )
    .reduce(
      (pages, [command, file]) => pages.set(command, [...(pages.get(command) ?? []), file]),
      new Map<string, string[]>(),
    ),
].map(([command, pages]) => [pages.join(", "), command] as const);
const server = /\b(?:npm run (?:mock|simulate)|sds-kit (?:mock|simulate))\b/;
/** Where the pages say the simulator listens (`sds-kit simulate`'s default port). */
const simulatorPort = "http://127.0.0.1:4011";

/** The status of a GET, over https trusting only the CA at `caPath` when there is one. */
function statusOf(url: string, token: string, caPath: string | undefined, cwd: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  if (caPath === undefined) return fetch(url, { headers }).then((response) => response.status);
  const ca = readFileSync(resolve(cwd, caPath), "utf8");
  return new Promise((done, fail) => {
    httpsGet(url, { headers, ca }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    }).on("error", fail);
  });
}

/** A server command on a free port: the README's own port may be taken on a CI machine. */
function onFreePort(command: string): string {
  if (/--port\b/.test(command)) return command.replace(/--port\s+\d+/, "--port 0");
  if (command.startsWith("npm run")) return command.includes(" -- ") ? `${command} --port 0` : `${command} -- --port 0`;
  return `${command} --port 0`;
}

// One at a time: `npm run mock` and `npm run simulate` build first, and builds must not overlap.
describe("commands in the documentation", () => {
  test("there are some", () => {
    expect(commands.length).toBeGreaterThan(5);
  });

  test.each(pagesRunElsewhere)("$page: its commands are run by $where", ({ page, where }) => {
    expect(files).toContain(page);
    expect(codeBlocks(page, "sh").length).toBeGreaterThan(0);
    expect(readFileSync(join(packageRoot, where), "utf8")).toContain(`"${page}"`);
  });

  test.each(commands)(
    "%s: %s",
    async (_file, command) => {
      const elsewhere = runElsewhere.find(({ pattern }) => pattern.test(command));
      if (elsewhere) {
        const args = command.replace(/^npm (run )?[\w:-]+( --)?/, "").trim();
        expect(readFileSync(join(packageRoot, elsewhere.where), "utf8")).toContain(args || command);
        return;
      }
      const cwd = command.includes("npm run") ? packageRoot : scratch;
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
      if (server.test(command)) {
        const child = spawnTracked("bash", ["-c", `exec ${onFreePort(command)}`], true, { cwd, env });
        const { match, lines } = await linesUntil(child, /listening on (https?:\/\/\S+)/);
        const url = match[1] ?? "";
        // Over https, the server printed the CA to trust before it said it listens.
        const caPath = lines.map((line) => /^CA certificate: (\S+)/.exec(line)?.[1]).find(Boolean);
        expect(url.startsWith("https:"), "an https server says which CA to trust").toBe(caPath !== undefined);
        const token = createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
        const status = await statusOf(`${url}/education/synchronizationProfiles`, token, caPath, cwd);
        // Any Graph answer will do (a README may start it throttling): it serves.
        expect(status).toBeLessThan(500);
        process.kill(-(child.pid ?? 0), "SIGINT");
        const { code, signal } = await exitOf(child);
        expect(code === 0 || signal === "SIGINT", `exited ${code ?? signal}`).toBe(true);
        return;
      }
      // A command that talks to the simulator's documented port gets a simulator of its own.
      if (command.includes(simulatorPort)) {
        const simulator = await startSimulator({ timing: { provisioningMs: 300, deletionMs: 300 } });
        try {
          await expect(
            run("bash", ["-c", command.replaceAll(simulatorPort, simulator.url)], { cwd, env }),
          ).resolves.toBeDefined();
        } finally {
          await simulator.close();
        }
        return;
      }
      await expect(run("bash", ["-c", command], { cwd, env })).resolves.toBeDefined();
    },
    120_000,
  );
});
