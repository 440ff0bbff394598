import { parseArgs } from "node:util";
import { checkPact, type Finding } from "../../pact/check-pact.js";
import { PactFileError, readPact } from "../../pact/pact-file.js";
import { formatFindingsJson, formatFindingsJunit, formatFindingsText } from "../../pact/report.js";
import { helpOption, parseLevel, UsageError, withUsageErrors } from "../args.js";
import { readInputFile } from "../files.js";
import type { CliStreams } from "../streams.js";

export const checkPactUsage = `Usage: sds-kit check-pact <pact files...> [--strict] [--level documented|observed|kit] [--format text|json|junit]

Checks every HTTP interaction of pact files (specification 2, 3 or 4) against the spec, offline:
the operation exists, the status is declared, the request is valid and every request matcher
admits only what the spec accepts (errors); the response example is valid, and relying on a field
the spec does not guarantee or matching wider than its enums is a warning. At --level documented
only what Microsoft documented is held (for pacts against a real or third-party provider); at kit,
the default, the kit's own decisions too (for pacts run against the kit's mocks).

Options:
  --strict                 Warnings fail the check too
  --level LEVEL            Which rules to hold: documented (Microsoft's pages), observed (and what
                           the live service was seen to do), kit (and the kit's decisions; default)
  --format text|json|junit One line per finding (default), a JSON array, or JUnit XML
  -h, --help               Show this help

Examples:
  sds-kit check-pact pacts/*.json
  sds-kit check-pact pacts/my-app-sds.json --strict --level documented
  sds-kit check-pact pacts/*.json --format junit > check-pact.xml
`;

export async function runCheckPact(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { strict: { type: "boolean" }, format: { type: "string" }, level: { type: "string" }, ...helpOption },
    }),
  );
  if (values.help) {
    streams.stdout.write(checkPactUsage);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("name at least one pact file");
  const level = parseLevel(values.level);
  const format = values.format ?? "text";
  if (!["text", "json", "junit"].includes(format))
    throw new UsageError(`--format must be text, json or junit, got '${format}'`);

  const results: { file: string; interactions: string[]; findings: Finding[] }[] = [];
  for (const file of positionals) {
    const text = readInputFile(file, "pact file");
    try {
      const pact = readPact(text, file);
      results.push({
        file,
        interactions: pact.interactions.map((i) => i.description),
        findings: checkPact(pact, { level }),
      });
    } catch (error) {
      if (error instanceof PactFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  const findings = results.flatMap((r) => r.findings);
  if (format === "json") streams.stdout.write(formatFindingsJson(findings));
  else if (format === "junit") streams.stdout.write(formatFindingsJunit(results, values.strict === true));
  else streams.stdout.write(formatFindingsText(findings));

  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const interactions = results.reduce((n, r) => n + r.interactions.length, 0);
  streams.stderr.write(
    `check-pact: ${interactions} interaction(s) in ${results.length} file(s): ${errors} error(s), ${warnings} warning(s)${values.strict ? " (strict)" : ""} at the ${level} level\n`,
  );
  return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
}
