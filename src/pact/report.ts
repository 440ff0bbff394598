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

const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: a test suite per pact file, a test case per interaction, a failure per finding that fails the check. */
export function formatFindingsJunit(
  results: { file: string; interactions: string[]; findings: Finding[] }[],
  strict: boolean,
): string {
  const fails = (f: Finding) => f.severity === "error" || strict;
  const suites = results.map(({ file, interactions, findings }) => {
    const failing = interactions.filter((name) => findings.some((f) => f.interaction === name && fails(f))).length;
    const cases = interactions.map((name) => {
      const mine = findings.filter((f) => f.interaction === name);
      const failures = mine
        .filter(fails)
        .map(
          (f) =>
            `      <failure type="${xmlEscape(f.rule)}" message="${xmlEscape(`${f.location} ${f.path}: ${f.message}`)}"/>`,
        )
        .join("\n");
      const notes = mine
        .filter((f) => !fails(f))
        .map((f) => `WARNING [${f.rule}] ${f.location} ${f.path}: ${f.message}`);
      const output = notes.length > 0 ? `      <system-out>${xmlEscape(notes.join("\n"))}</system-out>` : "";
      const body = [failures, output].filter(Boolean).join("\n");
      return body
        ? `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(file)}">\n${body}\n    </testcase>`
        : `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(file)}"/>`;
    });
    return `  <testsuite name="${xmlEscape(file)}" tests="${interactions.length}" failures="${failing}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sds-kit check-pact">\n${suites.join("\n")}\n</testsuites>\n`;
}
