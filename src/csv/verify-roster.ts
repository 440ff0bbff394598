import { decodeUtf8, parseCsv } from "./read-csv.js";
import {
  type Dialect,
  type EntityKind,
  isRosterFileName,
  type RosterFileDefinition,
  type RosterFileName,
  type RuleSource,
  rosterFileNames,
  rosterFiles,
  valueFormats,
} from "./roster-files.js";

/** One item of `POST …/start`'s answer (educationFileSynchronizationVerificationMessage). */
export interface VerificationMessage {
  type: "Error" | "Warning";
  fileName: string;
  description: string;
}

/** One file's rows as read: the header as written, and every data row (as long as the header). */
export interface RosterTable {
  fileName: RosterFileName;
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface Roster {
  dialect: Dialect;
  tables: Readonly<Record<RosterFileName, RosterTable>>;
}

/** `dataProvider.customizations.<kind>.optionalPropertiesToSync`; absent or null means every column. */
export type OptionalPropertiesToSync = Partial<Record<EntityKind, readonly string[] | null>>;

export interface VerifyRosterOptions {
  optionalPropertiesToSync?: OptionalPropertiesToSync;
  /** Data rows allowed per file (the header is not one). Default 500000. */
  maxRows?: number;
}

export interface RosterVerification {
  messages: VerificationMessage[];
  /** The rows of the six files; undefined when a structural error stopped reading them. */
  roster: Roster | undefined;
}

export const defaultMaxRows = 500_000;

interface VerificationRule {
  type: VerificationMessage["type"];
  /** `{n}` rows, `{col}` the header as written, `{file}` a lower-case file name; the rest as named. */
  template: string;
  /** Structural rules: checked first, and any one of them, in any file, stops the data checks. */
  stopsDataChecks: boolean;
  /** Where the rule itself comes from. */
  source: RuleSource;
  /** Where the description's wording comes from. */
  wording: RuleSource;
}

const invented: RuleSource = "kit (not documented)";
const startExample: RuleSource = "documented sds-csv §9 [D START]";
const missingDataTemplate = "{n} row(s) have missing data for the field - {col}";
const invalidFormatTemplate = "{n} row(s) have an invalid format for the field - {col}";

/** The files of the later SDS CSV formats, by version: an upload of them is a mistake a team can make. */
const laterFormats: readonly { version: string; files: ReadonlySet<string> }[] = [
  {
    version: "v2.1",
    files: new Set([
      "academicsessions.csv",
      "courses.csv",
      "demographics.csv",
      "relationships.csv",
      "roles.csv",
      "userflags.csv",
    ]),
  },
  { version: "v2", files: new Set(["orgs.csv", "users.csv", "classes.csv", "enrollments.csv"]) },
];

/** Every message the verifier can give, by name: one catalogue, filled in at the call site. */
export const verificationRules = {
  missingFile: {
    type: "Error",
    template: "Required file {file} is missing",
    stopsDataChecks: true,
    source: "documented sds-csv §1 [D CSVDOC, SUP, GUIDE]",
    wording: invented,
  },
  fileNameTwice: {
    type: "Error",
    template: "File {file} was uploaded more than once, under names that differ only in letter case",
    stopsDataChecks: true,
    source: "kit (INFERRED, sds-csv §1)",
    wording: invented,
  },
  unexpectedFile: {
    // "Nothing else should be in the folder": should, not must; the six are read all the same.
    type: "Warning",
    template: "File {file} is not one of the six SDS CSV files, and is not read",
    stopsDataChecks: false,
    source: "documented sds-csv §1 [D CSVDOC]",
    wording: invented,
  },
  otherFormat: {
    type: "Error",
    template:
      "The upload holds SDS {version} files ({files}); a CSV profile reads the six SDS v1 files: school.csv, section.csv, student.csv, studentenrollment.csv, teacher.csv, teacherroster.csv",
    stopsDataChecks: true,
    source: "kit (not documented; SDS v2 and v2.1 are other CSV formats, which this API's profiles never read)",
    wording: invented,
  },
  invalidUtf8: {
    type: "Error",
    template: "File is not valid UTF-8: the first invalid byte is on line {line}",
    stopsDataChecks: true,
    source: "documented sds-csv §2 [D FMTOLD-sr, V1FMT]",
    wording: invented,
  },
  invalidCsv: {
    type: "Error",
    template: "File is not valid CSV: {reason}",
    stopsDataChecks: true,
    source: "kit (INFERRED, sds-csv §2)",
    wording: invented,
  },
  noHeaderRow: {
    type: "Error",
    template: "File has no header row",
    stopsDataChecks: true,
    source: "documented sds-csv §2 [D VALID]",
    wording: invented,
  },
  missingColumn: {
    type: "Error",
    template: "Required column {col} is missing",
    stopsDataChecks: true,
    source: "documented sds-csv §2 [D VALID, INGEST]",
    wording: invented,
  },
  dialectMismatch: {
    type: "Error",
    template:
      "Column names follow the {found} format ({foundColumns}) but the upload uses the {dialect} format ({columns})",
    stopsDataChecks: true,
    source: "kit (INFERRED, sds-csv §7)",
    wording: invented,
  },
  duplicateColumn: {
    type: "Error",
    template: "Column {col} is named more than once",
    stopsDataChecks: true,
    source: "documented sds-csv §2 [D VALID]",
    wording: invented,
  },
  fieldCount: {
    type: "Error",
    template: "{n} row(s) have a different number of fields from the header row",
    stopsDataChecks: true,
    source: "kit (not documented; RFC 4180 gives every record the header's number of fields)",
    wording: invented,
  },
  lineBreakInValue: {
    type: "Error",
    template: "{n} row(s) have a line break inside a value",
    stopsDataChecks: true,
    source: "kit (INFERRED, sds-csv §2)",
    wording: invented,
  },
  tooManyRows: {
    type: "Error",
    template: "File has {n} data rows, more than the {max} allowed in one file",
    stopsDataChecks: true,
    source: "documented sds-csv §2 [D CSVDOC, SUP]",
    wording: invented,
  },
  missingValue: {
    type: "Error",
    template: missingDataTemplate,
    stopsDataChecks: false,
    source: "documented sds-csv §2 [D VALID]",
    wording: startExample,
  },
  invalidFormat: {
    type: "Error",
    template: invalidFormatTemplate,
    stopsDataChecks: false,
    // That formats are checked is documented; each column's format has its own source and type.
    source: startExample,
    wording: startExample,
  },
  unexpectedFormat: {
    type: "Warning",
    template: invalidFormatTemplate,
    stopsDataChecks: false,
    // A format no page makes a rule (an e-mail's shape, a four-digit year): the lenient answer.
    source: "kit (not documented; a format seen only in samples, or nowhere, warns and does not block)",
    wording: startExample,
  },
  duplicateValue: {
    type: "Warning",
    template: "{n} duplicates found in column {col} which requires values to be Unique.",
    stopsDataChecks: false,
    source: "documented sds-csv §4 [D START]",
    wording: startExample,
  },
  unknownReference: {
    type: "Error",
    template: "{n} row(s) have referenced data not found in source. Field - {col}",
    stopsDataChecks: false,
    source: "documented sds-csv §5 [D START]",
    wording: startExample,
  },
  selectedColumnMissing: {
    // "The Required Data in Columns that are enabled for sync are present. Warnings will be displayed if missing."
    type: "Warning",
    template: missingDataTemplate,
    stopsDataChecks: false,
    source: "documented sds-csv §8 [D VALID]",
    wording: startExample,
  },
  selectedValueMissing: {
    type: "Warning",
    template: missingDataTemplate,
    stopsDataChecks: false,
    source: "documented sds-csv §8 [D VALID]",
    wording: startExample,
  },
  selectedColumnUnknown: {
    type: "Warning",
    template: "Column {col} is selected for sync but is not a column of {file}",
    stopsDataChecks: false,
    source:
      "kit (not documented; a selected name that is not a v1 header, as Graph's own list example's GradeLow, cannot block a sync, sds-csv §8)",
    wording: invented,
  },
} as const satisfies Record<string, VerificationRule>;

export type VerificationRuleName = keyof typeof verificationRules;

/** How the verifier applies its rules, with the source of each choice. */
export const verificationPolicies = {
  "file names match in any letter case and are echoed lower-case": "kit (INFERRED, sds-csv §1)",
  "a UTF-8 BOM is dropped; records end at LF or CRLF; RFC 4180 quoting": "kit (INFERRED, sds-csv §2)",
  "empty lines, and lines of white space only, are skipped":
    "kit (not documented; a line of white space only, as a Microsoft lab's set ends with, is no record: the lenient answer)",
  "the header is not counted against maxRows": "kit (INFERRED, sds-csv §2)",
  "any structural error stops the data checks (no roster)": invented,
  "a value of white space only is missing data": invented,
  "formats are checked on non-empty values of the columns that are read": "kit (INFERRED, sds-csv §8)",
  "values compare exactly and case-sensitively": "kit (INFERRED, sds-csv §4)",
  "duplicates count the occurrences beyond the first": "kit (INFERRED, sds-csv §9)",
  "one message per file, check and column, rows aggregated": startExample,
  "order: file name, then column order in the file, then check": "kit (INFERRED, sds-csv §9)",
  "a selected required column is ignored (required columns always sync)": "kit (INFERRED, sds-csv §8)",
  "a selected name that is no column of the file warns, once, and is otherwise ignored":
    "kit (not documented; sds-csv §8)",
  "a record's school that is not in school.csv fails in the sync, not at start": "documented sds-csv §10 [D ERR-OLD]",
  "dates may be month first or day first": "kit (UNCONFIRMED, sds-csv §6; the wizard asked for the order, [D WIN])",
  "SDS v2 or v2.1 files are named as such": "kit (not documented)",
  "unknown columns are ignored": "kit (INFERRED, sds-csv §3)",
  "dialect: school.csv's header decides (DfE Number → UK)": "kit (INFERRED, sds-csv §7)",
  "dialect without a readable school.csv: the first file whose key header decides, else US": invented,
  "any Error answers 400, warnings alone 200": startExample,
} as const satisfies Record<string, RuleSource>;

/** A rule's message for a file, its template filled in with `values`. */
export function verificationMessage(
  rule: VerificationRuleName,
  fileName: string,
  values: Readonly<Record<string, string | number>>,
): VerificationMessage {
  const { type, template } = verificationRules[rule];
  const description = template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key]));
  return { type, fileName, description };
}

/** 400 when any message is an Error (the sync does not start), else 200. */
export function verificationStatus(messages: readonly VerificationMessage[]): 200 | 400 {
  return messages.some((entry) => entry.type === "Error") ? 400 : 200;
}

/**
 * What `POST …/start` answers for an upload: the verification messages, and the rows read, for
 * the sync. `files` maps each uploaded blob's name to its bytes (or text).
 */
export function verifyRoster(
  files: ReadonlyMap<string, Uint8Array | string>,
  options: VerifyRosterOptions = {},
): RosterVerification {
  const maxRows = options.maxRows ?? defaultMaxRows;
  const messages: VerificationMessage[] = [];
  let stopped = false;
  const report = (rule: VerificationRuleName, fileName: string, values: Record<string, string | number> = {}) => {
    messages.push(verificationMessage(rule, fileName, values));
    if (verificationRules[rule].stopsDataChecks) stopped = true;
  };

  const contents = new Map<RosterFileName, Uint8Array | string>();
  const uploadedTwice = new Set<RosterFileName>();
  const later = laterFormatOf([...files.keys()].map((name) => name.toLowerCase()));
  for (const [uploadedName, content] of files) {
    const name = uploadedName.toLowerCase();
    if (later?.files.includes(name)) continue;
    if (!isRosterFileName(name)) report("unexpectedFile", name, { file: name });
    else if (contents.has(name)) uploadedTwice.add(name);
    else contents.set(name, content);
  }
  if (later) report("otherFormat", later.files[0] ?? "", { version: later.version, files: later.files.join(", ") });

  const parsed = new Map<RosterFileName, { rows: string[][]; lineBreaksPossible: boolean }>();
  for (const name of rosterFileNames) {
    const content = contents.get(name);
    if (uploadedTwice.has(name)) report("fileNameTwice", name, { file: name });
    else if (content === undefined) report("missingFile", name, { file: name });
    else {
      const decoded = decodeUtf8(content);
      if ("invalidUtf8AtLine" in decoded) {
        report("invalidUtf8", name, { line: decoded.invalidUtf8AtLine });
        continue;
      }
      const csv = parseCsv(decoded.text);
      if ("syntaxError" in csv) report("invalidCsv", name, { reason: csv.syntaxError });
      else if (csv.rows.length === 0) report("noHeaderRow", name);
      else parsed.set(name, csv);
    }
  }

  const dialect = chooseDialect(parsed);
  const definitions = rosterFiles(dialect);
  const tables = new Map<RosterFileName, RosterTable>();
  for (const [name, { rows, lineBreaksPossible }] of parsed) {
    const header = rows[0] ?? [];
    const table: RosterTable = { fileName: name, header, rows: rows.slice(1) };
    const problems = structureProblems(table, definitions[name], dialect, maxRows, lineBreaksPossible);
    for (const problem of problems) report(problem.rule, name, problem.values);
    tables.set(name, table);
  }

  let roster: Roster | undefined;
  if (!stopped) {
    roster = { dialect, tables: Object.fromEntries(tables) as Record<RosterFileName, RosterTable> };
    const keys = new KeyIndex(roster);
    for (const name of rosterFileNames) {
      const definition = definitions[name];
      const selected = definition.entity ? options.optionalPropertiesToSync?.[definition.entity] : undefined;
      messages.push(...dataMessages(roster.tables[name], definition, selected ?? null, keys));
    }
  }
  // Stable: within a file, messages keep the order they were found in.
  messages.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  return { messages, roster };
}

/** The later SDS format an upload's file names belong to, and those names; undefined for none. */
function laterFormatOf(names: readonly string[]): { version: string; files: string[] } | undefined {
  for (const format of laterFormats) {
    const files = names.filter((name) => laterFormats.some((f) => f.files.has(name)));
    if (names.some((name) => format.files.has(name))) return { version: format.version, files: files.sort() };
  }
  return undefined;
}

const otherDialect = (dialect: Dialect): Dialect => (dialect === "US" ? "UK" : "US");

function chooseDialect(parsed: ReadonlyMap<RosterFileName, { rows: string[][] }>): Dialect {
  const school = parsed.get("school.csv")?.rows[0];
  if (school) return school.includes("DfE Number") && !school.includes("SIS ID") ? "UK" : "US";
  for (const name of rosterFileNames) {
    const header = parsed.get(name)?.rows[0];
    if (header?.includes("SIS ID")) return "US";
    if (header?.includes("ID")) return "UK";
  }
  return "US";
}

interface Problem {
  rule: VerificationRuleName;
  values: Record<string, string | number>;
}

function structureProblems(
  table: RosterTable,
  definition: RosterFileDefinition,
  dialect: Dialect,
  maxRows: number,
  lineBreaksPossible: boolean,
): Problem[] {
  const problems: Problem[] = [];
  const { header, rows } = table;
  const missing = definition.required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const other = rosterFiles(otherDialect(dialect))[definition.name];
    if (other.required.every((column) => header.includes(column))) {
      // The whole file is in the other dialect: one message that says so beats one per header.
      const renamed = (within: RosterFileDefinition, than: RosterFileDefinition) =>
        within.required.filter((column) => !than.required.includes(column)).join(", ");
      problems.push({
        rule: "dialectMismatch",
        values: {
          found: otherDialect(dialect),
          foundColumns: renamed(other, definition),
          dialect,
          columns: renamed(definition, other),
        },
      });
    } else for (const column of missing) problems.push({ rule: "missingColumn", values: { col: column } });
  }
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const column of header) {
    if (column === "") continue;
    if (seen.has(column) && !reported.has(column)) {
      problems.push({ rule: "duplicateColumn", values: { col: column } });
      reported.add(column);
    }
    seen.add(column);
  }
  let wrongLength = 0;
  let withLineBreak = 0;
  for (const row of rows) {
    if (row.length !== header.length) wrongLength += 1;
    if (lineBreaksPossible && row.some((value) => value.includes("\n") || value.includes("\r"))) withLineBreak += 1;
  }
  if (wrongLength > 0) problems.push({ rule: "fieldCount", values: { n: wrongLength } });
  if (withLineBreak > 0) problems.push({ rule: "lineBreakInValue", values: { n: withLineBreak } });
  if (rows.length > maxRows) problems.push({ rule: "tooManyRows", values: { n: rows.length, max: maxRows } });
  return problems;
}

// Most values start with a printable ASCII character, which settles it without trimming.
const isBlank = (value: string) => {
  if (value === "") return true;
  const first = value.charCodeAt(0);
  return (first <= 0x20 || first >= 0x7f) && value.trim() === "";
};

/** How many rows repeat an earlier row's values in one column or a pair (rows with a blank among them aside). */
function repeats(rows: RosterTable["rows"], indexes: readonly number[]): number {
  const [first = 0, second] = indexes;
  let count = 0;
  if (second === undefined) {
    const seen = new Set<string>();
    for (const row of rows) {
      const value = row[first] ?? "";
      if (isBlank(value)) continue;
      if (seen.has(value)) count += 1;
      else seen.add(value);
    }
    return count;
  }
  // Nested sets rather than joined keys: joining 400k pairs costs more than the rest of a file's checks.
  const seen = new Map<string, Set<string>>();
  for (const row of rows) {
    const outer = row[first] ?? "";
    const inner = row[second] ?? "";
    if (isBlank(outer) || isBlank(inner)) continue;
    let values = seen.get(outer);
    if (!values) {
      values = new Set();
      seen.set(outer, values);
    }
    if (values.has(inner)) count += 1;
    else values.add(inner);
  }
  return count;
}

/** The key values of each file that references point at, built when first asked for. */
class KeyIndex {
  private readonly built = new Map<string, ReadonlySet<string>>();
  constructor(private readonly roster: Roster) {}

  keys(file: RosterFileName, column: string): ReadonlySet<string> {
    const id = `${file}\u0000${column}`;
    let keys = this.built.get(id);
    if (!keys) {
      const table = this.roster.tables[file];
      const index = table.header.indexOf(column);
      const values = new Set<string>();
      for (const row of table.rows) {
        const value = row[index] ?? "";
        if (!isBlank(value)) values.add(value);
      }
      keys = values;
      this.built.set(id, keys);
    }
    return keys;
  }
}

function dataMessages(
  table: RosterTable,
  definition: RosterFileDefinition,
  selection: readonly string[] | null,
  keys: KeyIndex,
): VerificationMessage[] {
  const messages: VerificationMessage[] = [];
  const { header, rows, fileName } = table;
  const add = (rule: VerificationRuleName, n: number, col: string) => {
    if (n > 0) messages.push(verificationMessage(rule, fileName, { n, col }));
  };
  const required = new Set(definition.required);
  const known = new Set(definition.columns);
  const chosen = selection === null ? undefined : selection.filter((column) => !required.has(column));
  // A name that is no column of the file warns once (selectedColumnUnknown) and selects nothing.
  const selected = chosen === undefined ? undefined : new Set(chosen.filter((column) => known.has(column)));
  const count = (index: number, test: (value: string) => boolean) => {
    let n = 0;
    for (const row of rows) if (test(row[index] ?? "")) n += 1;
    return n;
  };

  header.forEach((column, index) => {
    // Unknown columns are ignored, unless optionalPropertiesToSync names them.
    if ((!known.has(column) && !selected?.has(column)) || header.indexOf(column) !== index) return;
    const isRequired = required.has(column);
    const read =
      isRequired || selected === undefined || selected.has(column) || definition.alwaysTaken.includes(column);
    if (isRequired) add("missingValue", count(index, isBlank), column);
    else if (selected?.has(column)) add("selectedValueMissing", count(index, isBlank), column);

    const format = definition.formats.find((rule) => rule.column === column);
    if (format && read) {
      const { accepts, type } = valueFormats[format.format];
      add(
        type === "Error" ? "invalidFormat" : "unexpectedFormat",
        count(index, (value) => !isBlank(value) && !accepts(value)),
        column,
      );
    }

    for (const rule of definition.unique) {
      if (rule.columns.at(-1) !== column) continue;
      const indexes = rule.columns.map((name) => header.indexOf(name));
      add("duplicateValue", repeats(rows, indexes), rule.columns.join(", "));
    }

    for (const rule of definition.references) {
      // A record's dangling school shows in the sync (InvalidLookupReference), not here.
      if (rule.column !== column || rule.checkedAt !== "verification") continue;
      const targets = keys.keys(rule.target, rule.targetColumn);
      add(
        "unknownReference",
        count(index, (value) => !isBlank(value) && !targets.has(value)),
        column,
      );
    }
  });

  if (selected && chosen) {
    const absent = [...selected].filter((column) => !header.includes(column));
    absent.sort((a, b) => definition.columns.indexOf(a) - definition.columns.indexOf(b));
    for (const column of absent) add("selectedColumnMissing", rows.length, column);
    for (const column of new Set(chosen.filter((name) => !known.has(name))))
      messages.push(verificationMessage("selectedColumnUnknown", fileName, { col: column, file: fileName }));
  }
  return messages;
}
