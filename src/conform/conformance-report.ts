import { renderJunit } from "../format/junit.js";
import type { CheckFailure } from "./conformance-http.js";
import type { CheckResult, ConformanceReport } from "./run-conformance.js";

const mark = { passed: "✓", failed: "✗", skipped: "-" } as const;

/** One failure, as a person reads it: the request, what was required and on whose word, what came back. */
export function formatFailure(failure: CheckFailure): string {
  const source = failure.source === undefined ? "" : ` [${failure.source}]`;
  return `${failure.request}: requires ${failure.requirement}${source}; got ${failure.got}`;
}

/** The summary line every format ends with. */
export function conformanceSummary(report: ConformanceReport): string {
  return `conform: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`;
}

/** One line per check, each failure and skip reason under it, then the summary. */
export function formatConformanceText(report: ConformanceReport): string {
  const lines = [`sds-kit conform against ${report.target}, at the ${report.level} level`];
  for (const result of report.results) {
    lines.push(`${mark[result.status]} ${result.group} › ${result.name} (${result.ms} ms)`);
    for (const failure of result.failures) lines.push(`    ${formatFailure(failure)}`);
    if (result.reason !== undefined) lines.push(`    skipped: ${result.reason}`);
  }
  lines.push(conformanceSummary(report));
  return `${lines.join("\n")}\n`;
}

export function formatConformanceJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** JUnit XML: a suite per group, a case per check; a failure per broken requirement, a skip with its reason. */
export function formatConformanceJunit(report: ConformanceReport): string {
  const groups = [...new Set(report.results.map((r) => r.group))];
  return renderJunit(
    `sds-kit conform (${report.level})`,
    groups.map((group) => ({
      name: group,
      cases: report.results
        .filter((r) => r.group === group)
        .map((r: CheckResult) => ({
          name: r.name,
          classname: `conform.${group}`,
          seconds: r.ms / 1000,
          failures: r.failures.map((f) => ({ type: f.source ?? "conformance", message: formatFailure(f) })),
          ...(r.reason === undefined ? {} : { skipped: r.reason }),
        })),
    })),
  );
}
