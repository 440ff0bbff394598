import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";

/**
 * The kit's heavy parts, each needing packages a team installs only if it uses the part: they are
 * optional peer dependencies (package.json), loaded on first use. A part whose packages are not
 * installed says so in one line, naming them with the version range to add, never a stack trace.
 */
export const optionalParts = {
  prism: { what: "The Prism mock (sds-kit mock, startPrismMock)", packages: ["@stoplight/prism-cli"] },
  pact: { what: "Pact verification (sds-kit verify, verifyProvider)", packages: ["@pact-foundation/pact"] },
  azurite: {
    what: "CSV uploads to a real blob endpoint (the simulator's uploads: azurite)",
    packages: ["azurite", "@azure/storage-blob"],
  },
  storageSdk: {
    what: "Uploading CSV files through an upload URL (uploadCsvFiles, sds-kit conform)",
    packages: ["@azure/storage-blob"],
  },
  docsSite: {
    what: "The documentation site (sds-kit docs, buildDocsSite, /_sds/docs/)",
    packages: ["redoc", "marked"],
  },
  https: { what: "HTTPS (--https, https: true)", packages: ["selfsigned"] },
  postgresStore: {
    what: 'The simulator\'s store on PostgreSQL (--store postgres://…, store: "postgres://…")',
    packages: ["pg"],
  },
  metrics: { what: "Prometheus metrics (/_sds/metrics, metrics: true)", packages: ["prom-client"] },
  jsonLogs: { what: "JSON request logs (--log json)", packages: ["pino"] },
} as const satisfies Record<string, { what: string; packages: readonly string[] }>;

export type OptionalPart = keyof typeof optionalParts;

/** A part was asked for whose packages are not installed; the message is the one line to act on. */
export class MissingPartError extends Error {
  override name = "MissingPartError";
  constructor(
    readonly part: OptionalPart,
    /** Each missing package with the range the kit supports: `@stoplight/prism-cli@^5.14.2`. */
    readonly missing: readonly string[],
  ) {
    super(`${optionalParts[part].what} needs ${missing.join(" and ")}: npm install --save-dev ${missing.join(" ")}`);
  }
}

let peerRanges: Record<string, string> | undefined;

/** The range of a package the kit supports, from its own package.json's peerDependencies. */
export function supportedRange(name: string): string {
  peerRanges ??=
    (
      JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
        peerDependencies?: Record<string, string>;
      }
    ).peerDependencies ?? {};
  return peerRanges[name] ?? "*";
}

const kitRequire = createRequire(import.meta.url);

/**
 * Whether a package is where Node would look for it from the kit. Its folder is looked for rather
 * than resolved: a package whose `exports` leave out `package.json` (PGlite's) resolves nothing by that name.
 */
function isInstalled(name: string): boolean {
  return (kitRequire.resolve.paths(name) ?? []).some((folder) => existsSync(join(folder, name, "package.json")));
}

/** The part's packages that are not installed where the kit can find them, each with its range. */
export function missingPackages(part: OptionalPart): string[] {
  return optionalParts[part].packages
    .filter((name) => !isInstalled(name))
    .map((name) => `${name}@${supportedRange(name)}`);
}

/** Throws MissingPartError when a package of the part is not installed where the kit can find it. */
export function requirePart(part: OptionalPart): void {
  const missing = missingPackages(part);
  if (missing.length > 0) throw new MissingPartError(part, missing);
}

/** Whether every package of the part is installed. */
export function hasPart(part: OptionalPart): boolean {
  return optionalParts[part].packages.every(isInstalled);
}

/** Imports a module of an optional part on first use: the part's packages must be installed. */
export async function importPart<T>(part: OptionalPart, load: () => Promise<T>): Promise<T> {
  requirePart(part);
  return load();
}
