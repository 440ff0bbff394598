/** One JUnit test case: passed unless it has failures or is skipped. */
export interface JunitCase {
  name: string;
  classname: string;
  failures?: { type: string; message: string }[];
  /** Why it was skipped. */
  skipped?: string;
  /** Printed beside the case (warnings, notes). */
  output?: string;
  seconds?: number;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

/**
 * Characters XML 1.0 cannot hold at all, not even as a character reference (its `Char`
 * production): C0 controls but tab, line feed and carriage return, lone surrogates, U+FFFE, U+FFFF.
 */
const notXmlChar =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML cannot hold, found to be replaced
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML holds it: markup escaped, and what XML cannot hold written out as `\u0001`, readable. */
export const xmlEscape = (text: string) =>
  text
    .replace(notXmlChar, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

/** An attribute's value: also its line breaks and tabs as references, which a parser would otherwise turn into spaces. */
const xmlAttribute = (text: string) =>
  xmlEscape(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");

/** JUnit XML as CI dashboards read it: a suite per group, a case per check, counts on each suite. */
export function renderJunit(name: string, suites: JunitSuite[]): string {
  const rendered = suites.map((suite) => {
    const failing = suite.cases.filter((c) => (c.failures ?? []).length > 0).length;
    const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
    const cases = suite.cases.map((c) => {
      const time = c.seconds === undefined ? "" : ` time="${c.seconds.toFixed(3)}"`;
      const open = `    <testcase name="${xmlAttribute(c.name)}" classname="${xmlAttribute(c.classname)}"${time}`;
      const body = [
        ...(c.failures ?? []).map(
          (f) => `      <failure type="${xmlAttribute(f.type)}" message="${xmlAttribute(f.message)}"/>`,
        ),
        ...(c.skipped === undefined ? [] : [`      <skipped message="${xmlAttribute(c.skipped)}"/>`]),
        ...(c.output ? [`      <system-out>${xmlEscape(c.output)}</system-out>`] : []),
      ];
      return body.length > 0 ? `${open}>\n${body.join("\n")}\n    </testcase>` : `${open}/>`;
    });
    const counts = `tests="${suite.cases.length}" failures="${failing}"${skipped > 0 ? ` skipped="${skipped}"` : ""}`;
    return `  <testsuite name="${xmlAttribute(suite.name)}" ${counts}>\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlAttribute(name)}">\n${rendered.join("\n")}\n</testsuites>\n`;
}
