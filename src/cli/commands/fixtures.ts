import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type RosterBreakName, rosterBreaks } from "../../csv/roster-breaks.js";
import { csvFixtures, UnknownBreakError, writeCsvFixtures } from "../../fixtures/csv-fixtures.js";
import { fixtureNames, UnknownFixtureError } from "../../fixtures/fixture-targets.js";
import { FixtureError, generateFixtures, generateInvalidFixtures } from "../../fixtures/generate-fixtures.js";
import { helpOption, UsageError, withUsageErrors } from "../args.js";
import { writeOutputFile } from "../files.js";
import type { CliStreams } from "../streams.js";

export const fixturesUsage = `Usage: sds-kit fixtures <schema|operationId|operationId.status> [options]
       sds-kit fixtures csv --out DIR [csv options]
       sds-kit fixtures --list

Writes realistic payloads generated from the spec, each checked against it; the same seed gives
the same bytes. With --invalid, writes payloads that each break exactly one rule, labelled with
the rule, where, and the answer the API gives.

Options:
  --count N               How many (default 1; not with --invalid, which writes one per rule)
  --seed S                A whole number (default 1)
  --invalid               Negative fixtures instead of valid ones
  --include-evolvable     Also use unknownFutureValue and the evolvable enum members after it
  --format json|ndjson    One JSON array (default), or one fixture per line
  --out FILE              Write to FILE instead of stdout
  --list                  List every name
  -h, --help              Show this help

sds-kit fixtures csv writes the six CSV files a CSV profile uploads (school.csv, section.csv,
student.csv, teacher.csv, studentenrollment.csv, teacherroster.csv): a consistent, realistic
roster that verifies cleanly, the same bytes for the same seed; or, with --break, the default set
with one rule broken, and what start answers for it (in expected.json beside the files, with
the sync errors its records get where the fault shows in the sync).

CSV options:
  --out DIR                  The folder to write to (required)
  --seed S                   Any text or number (default 1)
  --schools N                Default 2
  --sections-per-school N    Default 4
  --students-per-school N    Default 20
  --teachers-per-school N    Default 3
  --sections-per-student N   Default 3
  --dialect US|UK            The headers of the US or the UK samples (default US)
  --break RULE               Break one rule: ${Object.keys(rosterBreaks).join(", ")}

Examples:
  sds-kit fixtures createSynchronizationProfile --count 5 --seed 42
  sds-kit fixtures createSynchronizationProfile --invalid --out negative.json
  sds-kit fixtures getSynchronizationProfileStatus.200 --format ndjson
  sds-kit fixtures csv --out roster --students-per-school 200 --seed 7
  sds-kit fixtures csv --out broken --break missing-required-column
`;

const progressThreshold = 1000;

export async function runFixtures(args: string[], streams: CliStreams): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        count: { type: "string" },
        seed: { type: "string" },
        invalid: { type: "boolean" },
        "include-evolvable": { type: "boolean" },
        format: { type: "string" },
        out: { type: "string" },
        list: { type: "boolean" },
        schools: { type: "string" },
        "sections-per-school": { type: "string" },
        "students-per-school": { type: "string" },
        "teachers-per-school": { type: "string" },
        "sections-per-student": { type: "string" },
        dialect: { type: "string" },
        break: { type: "string" },
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(fixturesUsage);
    return 0;
  }
  if (values.list) {
    streams.stdout.write(`${fixtureNames().join("\n")}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError("name a schema or operation (sds-kit fixtures --list shows them)");
  if (extra.length > 0) throw new UsageError(`one name at a time, got ${positionals.join(", ")}`);
  if (name === "csv") return writeCsv(values, streams);
  for (const option of csvOnly) {
    if (values[option] !== undefined) throw new UsageError(`--${option} applies to sds-kit fixtures csv only`);
  }
  const format = values.format ?? "json";
  if (format !== "json" && format !== "ndjson")
    throw new UsageError(`--format must be json or ndjson, got '${format}'`);
  const seed = wholeNumber("--seed", values.seed, 1);
  const count = wholeNumber("--count", values.count, 1);
  if (values.invalid && values.count !== undefined)
    throw new UsageError("--count does not apply to --invalid, which writes one fixture per broken rule");

  let fixtures: unknown[];
  try {
    if (values.invalid) {
      fixtures = generateInvalidFixtures(name, { seed });
    } else {
      fixtures = generateInBatches(
        name,
        { seed, count, includeEvolvable: values["include-evolvable"] === true },
        streams,
      );
    }
  } catch (error) {
    if (error instanceof UnknownFixtureError) {
      streams.stderr.write(`sds-kit fixtures: ${error.message}\nknown names:\n  ${error.known.join("\n  ")}\n`);
      return 2;
    }
    if (error instanceof FixtureError) throw new UsageError(error.message);
    throw error;
  }
  const text =
    format === "ndjson"
      ? fixtures.map((f) => `${JSON.stringify(f)}\n`).join("")
      : `${JSON.stringify(fixtures, null, 2)}\n`;
  if (values.out) {
    writeOutputFile(values.out, text, "fixtures to");
    streams.stderr.write(
      `wrote ${fixtures.length} ${values.invalid ? "invalid " : ""}fixture(s) of ${name} to ${values.out}\n`,
    );
  } else {
    streams.stdout.write(text);
  }
  return 0;
}

/** Generates in batches so that large counts can show progress on a terminal. */
function generateInBatches(
  name: string,
  options: { seed: number; count: number; includeEvolvable: boolean },
  streams: CliStreams,
): unknown[] {
  const showProgress = streams.stderr.isTTY === true && options.count >= progressThreshold;
  if (!showProgress) return generateFixtures(name, options);
  const all: unknown[] = [];
  const batch = 250;
  // Each fixture's seeds depend on its index, so batches give the same fixtures as one call.
  for (let start = 0; start < options.count; start += batch) {
    const size = Math.min(batch, options.count - start);
    all.push(...generateFixtures(name, { ...options, offset: start, count: size }));
    const done = start + size;
    const width = 30;
    const filled = Math.round((done / options.count) * width);
    streams.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${options.count} ${name}`);
  }
  streams.stderr.write("\n");
  return all;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 2 ** 31)
    throw new UsageError(`${flag} must be a whole number, got '${value}'`);
  return Number(value);
}

const csvOnly = [
  "schools",
  "sections-per-school",
  "students-per-school",
  "teachers-per-school",
  "sections-per-student",
  "dialect",
  "break",
] as const;

function writeCsv(values: Record<string, string | boolean | undefined>, streams: CliStreams): number {
  for (const option of ["count", "invalid", "include-evolvable", "format"]) {
    if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to sds-kit fixtures csv`);
  }
  const out = values.out;
  if (typeof out !== "string") throw new UsageError("sds-kit fixtures csv writes six files: give --out DIR");
  const dialect = values.dialect ?? "US";
  if (dialect !== "US" && dialect !== "UK") throw new UsageError(`--dialect must be US or UK, got '${dialect}'`);
  const size = (option: (typeof csvOnly)[number]) =>
    values[option] === undefined ? undefined : wholeNumber(`--${option}`, values[option] as string, 0);
  const breakName = values.break as string | undefined;
  if (breakName !== undefined && !Object.hasOwn(rosterBreaks, breakName))
    throw new UsageError(`--break takes one of ${Object.keys(rosterBreaks).join(", ")}, got '${breakName}'`);
  let fixtures: ReturnType<typeof csvFixtures>;
  try {
    fixtures = csvFixtures({
      seed: typeof values.seed === "string" ? values.seed : 1,
      ...defined({
        schools: size("schools"),
        sectionsPerSchool: size("sections-per-school"),
        studentsPerSchool: size("students-per-school"),
        teachersPerSchool: size("teachers-per-school"),
        sectionsPerStudent: size("sections-per-student"),
      }),
      dialect,
      ...(breakName === undefined ? {} : { break: breakName as RosterBreakName }),
    });
  } catch (error) {
    if (error instanceof RangeError || error instanceof UnknownBreakError) throw new UsageError(error.message);
    throw error;
  }
  let written: string[];
  try {
    written = writeCsvFixtures(out, fixtures);
    writeFileSync(join(out, "expected.json"), `${JSON.stringify(fixtures.expected, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write to ${out}: ${error instanceof Error ? error.message : String(error)}`);
  }
  streams.stderr.write(
    `wrote ${written.length} CSV file(s) to ${out}${breakName ? ` with '${breakName}' broken: start answers ${fixtures.expected.status}` : ""}\n`,
  );
  return 0;
}

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
