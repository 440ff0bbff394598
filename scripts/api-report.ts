import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";
import { packageRoot } from "../src/package-root.js";

/**
 * The package's public surface, one API Extractor report per entry point of package.json's
 * `exports` (`api/<entry>.api.md`), from the compiled declarations in dist/ (`npm run build` first).
 *
 *   tsx scripts/api-report.ts           rewrites the reports
 *   tsx scripts/api-report.ts --check   fails, naming the entry, when a report is not what the code gives
 *
 * A change to what the package exports, or to the type of anything exported, changes a report:
 * it is a reviewed diff, not an accident.
 */
const check = process.argv.includes("--check");
const reportFolder = join(packageRoot, "api");
const scratch = join(tmpdir(), `sds-kit-api-${process.pid}`);

const { exports } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  exports: Record<string, string | { types?: string; default?: string }>;
};
const entries = Object.entries(exports).flatMap(([subpath, target]) => {
  const types = typeof target === "string" ? undefined : target.types;
  if (types === undefined || !types.startsWith("./dist/src/")) return [];
  return [{ name: subpath === "." ? "index" : subpath.slice(2), types: join(packageRoot, types) }];
});

mkdirSync(reportFolder, { recursive: true });
mkdirSync(scratch, { recursive: true });
const changed: string[] = [];
try {
  for (const entry of entries) {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageRoot,
        // The same bytes on every machine, as the rest of the repository.
        newlineKind: "lf",
        mainEntryPointFilePath: entry.types,
        compiler: { tsconfigFilePath: join(packageRoot, "tsconfig.build.json") },
        apiReport: {
          enabled: true,
          reportFileName: `${entry.name}.api.md`,
          reportFolder,
          reportTempFolder: scratch,
          includeForgottenExports: false,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          // The kit's docblocks are prose, not TSDoc, and its internals are reached only through entries.
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.None },
            "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        },
      },
      configObjectFullPath: join(packageRoot, "api-extractor.json"),
      packageJsonFullPath: join(packageRoot, "package.json"),
    });
    const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
    if (!result.succeeded) {
      if (result.apiReportChanged) changed.push(`api/${entry.name}.api.md`);
      else throw new Error(`API Extractor failed on ${entry.types}: ${result.errorCount} error(s)`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (changed.length > 0) {
  console.error(
    `api-report: the public surface changed (${changed.join(", ")}): run \`npm run api\` and review the diff of api/`,
  );
  process.exit(1);
}
console.log(check ? `api/ matches the ${entries.length} entry points` : `wrote ${entries.length} reports to api/`);
