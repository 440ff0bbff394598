import { execFile } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "../../src/package-root.js";

/**
 * The kit as a team gets it: packed into a tarball, installed into a project outside this
 * repository, measured there. Shared by the tests of the packed kit and by bench/install.bench.ts.
 */

const run = promisify(execFile);

/** Packs the built kit into `destination` (`npm run build` first); resolves with the tarball's file name. */
export async function packKit(destination: string): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], {
    cwd: packageRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  const filename = (JSON.parse(stdout) as { filename: string }[])[0]?.filename;
  if (!filename) throw new Error(`npm pack printed no file name: ${stdout.slice(0, 500)}`);
  return filename;
}

/**
 * The environment a developer's shell or a CI runner gives: nothing from this test run or this
 * checkout. This checkout's bin folders are off the PATH (`npm run` puts them on it) and the Node
 * running the caller comes first, so the project runs on the same Node as the kit's tests; npm
 * takes what its cache has before the registry, and neither audits nor asks for funding.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|vitest|init_cwd$|node_env$|node_options$|test$)/i.test(name)) continue;
    env[name] = value;
  }
  env.PATH = [
    dirname(process.execPath),
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter((dir) => !(dir.startsWith(packageRoot) && dir.endsWith(join("node_modules", ".bin")))),
  ].join(delimiter);
  return {
    ...env,
    PACT_DO_NOT_TRACK: "true",
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

export interface PackedProject {
  /** The project's folder, under the system's temporary folder. */
  dir: string;
  /** What the install left in its node_modules. */
  packages: InstalledPackage[];
  /** Removes the project and its scratch folder. */
  remove(): void;
}

/**
 * A fresh project named `name` with `fields` in its package.json, the kit packed into it, and
 * `install` run there as a shell runs it: a README's install line, whose `./<tarball>` must be the
 * file npm pack writes.
 */
export async function packedProject(
  name: string,
  install: string,
  fields: Record<string, unknown> = {},
): Promise<PackedProject> {
  const scratch = mkdtempSync(join(tmpdir(), `sds-${name}-`));
  const remove = () => rmSync(scratch, { recursive: true, force: true });
  try {
    const dir = join(scratch, name);
    mkdirSync(dir);
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify({ name, private: true, type: "module", ...fields }, null, 2)}\n`,
    );
    const tarball = await packKit(dir);
    if (!` ${install} `.includes(` ./${tarball} `))
      throw new Error(`'${install}' does not install the tarball npm pack wrote, ${tarball}`);
    await run("bash", ["-c", install], { cwd: dir, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { dir, packages: installedPackages(dir), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** The package's folder, relative to the project. */
  path: string;
}

/** Every package installed under the project's node_modules, nested copies included, as npm laid them out. */
export function installedPackages(project: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      const dirs = entry.startsWith("@")
        ? readdirSync(join(modules, entry)).map((scoped) => join(modules, entry, scoped))
        : [join(modules, entry)];
      for (const dir of dirs) {
        const manifest = join(dir, "package.json");
        if (lstatSync(dir).isSymbolicLink() || !existsSync(manifest)) continue;
        const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; version: string };
        found.push({ name, version, path: dir.slice(project.length + 1) });
        walk(join(dir, "node_modules"));
      }
    }
  };
  walk(join(project, "node_modules"));
  return found;
}

/** What a folder takes: on disk (allocated blocks, as `du` counts) and in its files' bytes. */
export function diskUsage(dir: string): { onDisk: number; fileBytes: number } {
  let onDisk = 0;
  let fileBytes = 0;
  const visit = (path: string) => {
    const stats = lstatSync(path);
    onDisk += stats.blocks * 512;
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else if (stats.isFile()) fileBytes += stats.size;
  };
  visit(dir);
  return { onDisk, fileBytes };
}

/** The kit's optional parts' packages and the ranges it supports (package.json's peerDependencies). */
export function optionalPeers(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  return manifest.peerDependencies;
}

/** Megabytes, as npm and du print them (10^6 bytes), to one decimal. */
export const megabytes = (bytes: number) => Math.round(bytes / 100_000) / 10;
