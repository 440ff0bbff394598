import { renderJunit } from "../format/junit.js";
import type { Finding } from "./check-pact.js";

/** One line per finding: severity, interaction, location, JSON path, what is wrong. */
export function formatFindingsText(findings: Finding[]): string {
  return findings
    .map((f) => `${f.severity.toUpperCase()} [${f.rule}] "${f.interaction}" ${f.location} ${f.path}: ${f.message}\n`)
    .join("");
}

export function formatFindingsJson(findings: Finding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** JUnit XML: a test suite per pact file, a test case per interaction, a failure per finding that fails the check. */
export function formatFindingsJunit(
  results: { file: string; interactions: string[]; findings: Finding[] }[],
  strict: boolean,
): string {
  const fails = (f: Finding) => f.severity === "error" || strict;
  return renderJunit(
    "sds-kit check-pact",
    results.map(({ file, interactions, findings }) => ({
      name: file,
      cases: interactions.map((name) => {
        const mine = findings.filter((f) => f.interaction === name);
        const notes = mine
          .filter((f) => !fails(f))
          .map((f) => `WARNING [${f.rule}] ${f.location} ${f.path}: ${f.message}`);
        return {
          name,
          classname: file,
          failures: mine.filter(fails).map((f) => ({ type: f.rule, message: `${f.location} ${f.path}: ${f.message}` })),
          ...(notes.length > 0 ? { output: notes.join("\n") } : {}),
        };
      }),
    })),
  );
}
