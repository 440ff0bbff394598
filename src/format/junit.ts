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

export const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML as CI dashboards read it: a suite per group, a case per check, counts on each suite. */
export function renderJunit(name: string, suites: JunitSuite[]): string {
  const rendered = suites.map((suite) => {
    const failing = suite.cases.filter((c) => (c.failures ?? []).length > 0).length;
    const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
    const cases = suite.cases.map((c) => {
      const time = c.seconds === undefined ? "" : ` time="${c.seconds.toFixed(3)}"`;
      const open = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}"${time}`;
      const body = [
        ...(c.failures ?? []).map(
          (f) => `      <failure type="${xmlEscape(f.type)}" message="${xmlEscape(f.message)}"/>`,
        ),
        ...(c.skipped === undefined ? [] : [`      <skipped message="${xmlEscape(c.skipped)}"/>`]),
        ...(c.output ? [`      <system-out>${xmlEscape(c.output)}</system-out>`] : []),
      ];
      return body.length > 0 ? `${open}>\n${body.join("\n")}\n    </testcase>` : `${open}/>`;
    });
    const counts = `tests="${suite.cases.length}" failures="${failing}"${skipped > 0 ? ` skipped="${skipped}"` : ""}`;
    return `  <testsuite name="${xmlEscape(suite.name)}" ${counts}>\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}">\n${rendered.join("\n")}\n</testsuites>\n`;
}
