/**
 * What a team pays to add the kit: the packed tarball installed into fresh projects outside this
 * repository (the core alone, the core with each optional part, everything as the README's one
 * line installs it), and the main entry's cold import, side by side with msw/node's in alternating
 * rounds of one run. With everything installed it also lists any package at a version a known
 * advisory names (test/support/advisories.ts).
 *
 *   npm run bench:install
 *   npm run bench:install -- --rounds 40 --parts none
 *
 * --rounds N      cold imports of each, alternating (default 20)
 * --parts P       all (default): also install each optional part and everything; none: the core only
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { packageRoot } from "../src/package-root.js";
import { optionalParts } from "../src/parts/optional-parts.js";
import { knownVulnerable } from "../test/support/advisories.js";
import {
  cleanEnv,
  diskUsage,
  installedPackages,
  megabytes,
  optionalPeers,
  packKit,
} from "../test/support/packed-kit.js";
import { median } from "./support/measure.js";

const run = promisify(execFile);

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    parts: { type: "string", default: "all" },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error("bench: --rounds takes a whole number above 0");
  process.exit(2);
}
if (values.parts !== "all" && values.parts !== "none") {
  console.error(`bench: --parts takes all or none, got '${values.parts}'`);
  process.exit(2);
}

const peers = optionalPeers();
const devDependencies = (
  JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
).devDependencies;
const scratch = mkdtempSync(join(tmpdir(), "sds-bench-install-"));

/** A fresh project with `package.json` fields of its own; `install` runs there, as a shell runs it. */
async function project(name: string, install: string, fields: Record<string, unknown> = {}) {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", ...fields }));
  await run("bash", ["-c", install], { cwd: dir, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  const packages = installedPackages(dir);
  return { dir, packages, ...diskUsage(join(dir, "node_modules")) };
}

type Footprint = Awaited<ReturnType<typeof project>>;
const rows: string[] = [];
const row = (what: string, packages: string, onDisk: string, files: string) =>
  rows.push(`${what.padEnd(58)}${packages.padStart(10)}${onDisk.padStart(13)}${files.padStart(13)}`);
const plus = (n: number) => (n >= 0 ? `+${n}` : String(n));

try {
  const tarball = await packKit(scratch);
  const kitSpec = `../${tarball}`;
  const core = await project("core", `npm install --save-dev ${kitSpec}`);
  row(
    "the core (the README's first line)",
    String(core.packages.length),
    `${megabytes(core.onDisk)}`,
    `${megabytes(core.fileBytes)}`,
  );

  if (values.parts === "all") {
    for (const [name, part] of Object.entries(optionalParts)) {
      const specs = part.packages.map((pkg) => `${pkg}@${peers[pkg]}`).join(" ");
      const withPart = await project(`part-${name}`, `npm install --save-dev ${kitSpec} ${specs}`);
      row(
        `+ ${part.packages.join(", ")}`,
        plus(withPart.packages.length - core.packages.length),
        `+${megabytes(withPart.onDisk - core.onDisk)}`,
        `+${megabytes(withPart.fileBytes - core.fileBytes)}`,
      );
    }
    const everything: Footprint = await project(
      "everything",
      `npm install --save-dev ${kitSpec} ${Object.entries(peers)
        .map(([pkg, range]) => `${pkg}@${range}`)
        .join(" ")}`,
      { overrides: { lodash: "^4.18.1" } },
    );
    row(
      "everything (the README's one line, with its overrides)",
      String(everything.packages.length),
      `${megabytes(everything.onDisk)}`,
      `${megabytes(everything.fileBytes)}`,
    );
    const msw = await project("msw", `npm install --save-dev msw@${devDependencies.msw}`);
    row(
      `yardstick: msw ${devDependencies.msw} alone`,
      String(msw.packages.length),
      `${megabytes(msw.onDisk)}`,
      `${megabytes(msw.fileBytes)}`,
    );
    const vulnerable = knownVulnerable(everything.packages);
    rows.push(
      "",
      `known-vulnerable versions with everything installed: ${vulnerable.length === 0 ? "none" : `\n  ${vulnerable.join("\n  ")}`}`,
    );
  }

  console.log(`installs from the packed tarball into fresh projects (MB: 10^6 bytes)`);
  console.log(`${"".padEnd(58)}${"packages".padStart(10)}${"MB on disk".padStart(13)}${"MB of files".padStart(13)}`);
  for (const line of rows) console.log(line);

  // The yardstick beside the kit, in the core project, so both resolve from one node_modules.
  await run("npm", ["install", "--no-save", `msw@${devDependencies.msw}`], {
    cwd: core.dir,
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const importOnce = async (specifier: string) => {
    const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); const importMs = performance.now() - t; console.log(JSON.stringify({ importMs, rss: process.memoryUsage().rss }));`;
    const began = performance.now();
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: core.dir,
      env: cleanEnv(),
    });
    const processMs = performance.now() - began;
    const { importMs, rss } = JSON.parse(stdout) as { importMs: number; rss: number };
    return { importMs, processMs, rssMb: rss / (1024 * 1024) };
  };
  const subjects = ["sds-contract-kit", "msw/node"] as const;
  const samples = new Map(subjects.map((subject) => [subject, [] as Awaited<ReturnType<typeof importOnce>>[]]));
  // One of each first, uncounted: the file system's cache is then as warm for both.
  for (const subject of subjects) await importOnce(subject);
  for (let round = 0; round < rounds; round += 1) {
    // Alternating, and which goes first alternates too, so drift in the machine's speed falls on both.
    for (const subject of round % 2 === 0 ? subjects : [...subjects].reverse()) {
      samples.get(subject)?.push(await importOnce(subject));
    }
  }
  const figures = subjects.map((subject) => {
    const runs = samples.get(subject) ?? [];
    return {
      subject,
      importMs: median(runs.map((r) => r.importMs)),
      processMs: median(runs.map((r) => r.processMs)),
      rssMb: median(runs.map((r) => r.rssMb)),
    };
  });
  console.log("");
  console.log(`cold import in a new process, ${rounds} alternating rounds, medians (Node ${process.version})`);
  console.log(`${"".padEnd(24)}${"import ms".padStart(12)}${"process ms".padStart(12)}${"RSS MB".padStart(10)}`);
  for (const { subject, importMs, processMs, rssMb } of figures)
    console.log(
      `${subject.padEnd(24)}${importMs.toFixed(0).padStart(12)}${processMs.toFixed(0).padStart(12)}${rssMb.toFixed(0).padStart(10)}`,
    );
  const [kit, msw] = figures;
  if (kit && msw)
    console.log(
      `kit/msw: import ${(kit.importMs / msw.importMs).toFixed(2)}x, process ${(kit.processMs / msw.processMs).toFixed(2)}x, RSS ${(kit.rssMb / msw.rssMb).toFixed(2)}x (target: import <= 1.00x)`,
    );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
