/**
 * The six files of an SDS v1 ("classic") CSV upload, as data: their columns, keys, references and
 * value formats, in both header dialects, each rule with its source in the reference
 * (shared/reference/sds-csv-v1.md, "sds-csv §n"). The verifier, the generator and the sync read
 * these tables; none of them names a column of its own.
 */

/**
 * Where a rule comes from, quoting the reference's tag:
 * - `documented sds-csv §<n> [D <TAG>, …]` or `[S]`: Microsoft's pages, or its sample CSVs;
 * - `kit (INFERRED, sds-csv §<n>)`: the reference's own reading, which the kit follows as written;
 * - `kit (UNCONFIRMED, sds-csv §<n>; <choice>)`: the reference found nothing; the kit chose;
 * - `kit (not documented[; <note>])`: the kit's invention (wording, or a rule nobody wrote down).
 */
export type RuleSource = string;

export const ruleSourcePattern =
  /^(?:documented sds-csv §\d+(?: ?\[(?:D [A-Z][A-Za-z0-9-]*(?:, [A-Z][A-Za-z0-9-]*)*|S)\])+|kit \((?:INFERRED, sds-csv §\d+|UNCONFIRMED, sds-csv §\d+; .+|not documented(?:; .+)?)\))$/;

/** The six files, in the order messages list them (by name). */
export const rosterFileNames = [
  "school.csv",
  "section.csv",
  "student.csv",
  "studentenrollment.csv",
  "teacher.csv",
  "teacherroster.csv",
] as const;
export type RosterFileName = (typeof rosterFileNames)[number];

export const rosterFilesSource: RuleSource = "documented sds-csv §1 [D CSVDOC, SUP, GUIDE]";

/** The four files whose rows are synced as records, by the name `optionalPropertiesToSync` uses. */
export type EntityKind = "school" | "section" | "student" | "teacher";
export const entityFiles: Readonly<Record<EntityKind, RosterFileName>> = {
  school: "school.csv",
  section: "section.csv",
  student: "student.csv",
  teacher: "teacher.csv",
};

/** US headers, or the UK samples' (`DfE Number`, `ID`, ...). */
export type Dialect = "US" | "UK";

export type ValueFormat = "identifier" | "date" | "email" | "four-digit-year";

export interface FormatRule {
  column: string;
  format: ValueFormat;
  source: RuleSource;
}

/** Values that must not repeat within the file: one column, or a combination of two. */
export interface UniqueRule {
  columns: readonly [string] | readonly [string, string];
  source: RuleSource;
}

export interface ReferenceRule {
  column: string;
  target: RosterFileName;
  targetColumn: string;
  source: RuleSource;
  /**
   * When a dangling reference shows: at `start`, as a verification Error (the membership files'
   * references, [D START]), or in the sync, as the record's `InvalidLookupReference` error (a
   * record's school, [D ERR-OLD]).
   */
  checkedAt: "verification" | "sync";
}

export interface RosterFileDefinition {
  name: RosterFileName;
  /** The record kind of the file's rows; undefined for the two membership files. */
  entity: EntityKind | undefined;
  /** Every known column, in the order Microsoft's fullest sample of the file has them. */
  columns: readonly string[];
  /** The columns whose header must be present and whose every cell must have a value. */
  required: readonly string[];
  requiredSource: RuleSource;
  /** The key: `SIS ID` (`ID`, `DfE Number` in the UK dialect). */
  key: string;
  /** The columns `optionalPropertiesToSync` may name: every known column that is not required. */
  optional: readonly string[];
  optionalSource: RuleSource;
  /** Columns taken whenever present, whatever `optionalPropertiesToSync` says. */
  alwaysTaken: readonly string[];
  unique: readonly UniqueRule[];
  references: readonly ReferenceRule[];
  formats: readonly FormatRule[];
}

// The definitions are written once in the US spelling; the UK ones are derived by renaming.
interface FileShape {
  entity: EntityKind | undefined;
  columns: readonly string[];
  required: readonly string[];
  requiredSource: RuleSource;
  optionalSource: RuleSource;
  alwaysTaken: readonly string[];
  unique: readonly UniqueRule[];
  references: readonly ReferenceRule[];
  formats: readonly FormatRule[];
}

const identifierSource: RuleSource = "kit (INFERRED, sds-csv §6)";
const namesAlwaysTaken = ["First Name", "Last Name", "Middle Name", "Password"];
const namesAlwaysTakenSource: RuleSource = "kit (INFERRED, sds-csv §3)";

const sisIdFormat: FormatRule = { column: "SIS ID", format: "identifier", source: identifierSource };
const usernameFormat: FormatRule = { column: "Username", format: "identifier", source: identifierSource };
/**
 * A record's school: the older errors page shows a student whose school is not there failing in
 * the sync (`InvalidLookupReference`, "confirm the School SIS ID"), not the upload being refused.
 */
const schoolReference = (source: RuleSource): ReferenceRule => ({
  column: "School SIS ID",
  target: "school.csv",
  targetColumn: "SIS ID",
  source,
  checkedAt: "sync",
});
const schoolReferenceByAnalogy: RuleSource =
  "kit (UNCONFIRMED, sds-csv §10; the older errors page shows it for students, [D ERR-OLD], and the kit takes teachers and sections alike)";

const membership = (person: "student.csv" | "teacher.csv"): FileShape => ({
  entity: undefined,
  columns: ["Section SIS ID", "SIS ID"],
  required: ["Section SIS ID", "SIS ID"],
  requiredSource: "documented sds-csv §3 [S][D START]",
  optionalSource: "documented sds-csv §3 [S]",
  alwaysTaken: [],
  unique: [{ columns: ["Section SIS ID", "SIS ID"], source: "kit (INFERRED, sds-csv §4)" }],
  references: [
    {
      column: "Section SIS ID",
      target: "section.csv",
      targetColumn: "SIS ID",
      source: "documented sds-csv §5 [D START]",
      checkedAt: "verification",
    },
    {
      column: "SIS ID",
      target: person,
      targetColumn: "SIS ID",
      source: "documented sds-csv §5 [D START]",
      checkedAt: "verification",
    },
  ],
  formats: [sisIdFormat],
});

const shapes: Record<RosterFileName, FileShape> = {
  "school.csv": {
    entity: "school",
    // biome-ignore format: the sample's header row, kept on one line as it reads in the file
    columns: ["SIS ID", "Name", "School Number", "School NCES_ID", "State ID", "Grade Low", "Grade High", "Principal SIS ID", "Principal Name", "Principal Secondary Email", "Address", "City", "State", "Country", "Zip", "Phone", "Zone"],
    required: ["SIS ID", "Name"],
    requiredSource: "documented sds-csv §3 [S][D GUIDE]",
    optionalSource: "documented sds-csv §3 [D GUIDE][S]",
    alwaysTaken: [],
    unique: [{ columns: ["SIS ID"], source: "kit (INFERRED, sds-csv §4)" }],
    references: [],
    formats: [
      sisIdFormat,
      { column: "Principal Secondary Email", format: "email", source: "kit (INFERRED, sds-csv §6)" },
    ],
  },
  "section.csv": {
    entity: "section",
    // biome-ignore format: the sample's header row, kept on one line as it reads in the file
    columns: ["SIS ID", "School SIS ID", "Section Name", "Section Number", "Term SIS ID", "Term Name", "Term StartDate", "Term EndDate", "Course SIS ID", "Course Name", "Course Number", "Course Description", "Course Subject", "Periods", "Status"],
    required: ["SIS ID", "School SIS ID", "Section Name"],
    requiredSource: "documented sds-csv §3 [S][D GUIDE]",
    optionalSource: "documented sds-csv §3 [D GUIDE][S]",
    alwaysTaken: [],
    unique: [{ columns: ["SIS ID"], source: "kit (INFERRED, sds-csv §4)" }],
    references: [schoolReference(schoolReferenceByAnalogy)],
    formats: [
      sisIdFormat,
      { column: "Term StartDate", format: "date", source: "documented sds-csv §6 [D VALID, FMTOLD]" },
      { column: "Term EndDate", format: "date", source: "documented sds-csv §6 [D VALID, FMTOLD]" },
    ],
  },
  "student.csv": {
    entity: "student",
    // biome-ignore format: the sample's header row, kept on one line as it reads in the file
    columns: ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password", "State ID", "Secondary Email", "Student Number", "Middle Name", "Grade", "Status", "Mailing Address", "Mailing City", "Mailing State", "Mailing Zip", "Mailing Latitude", "Mailing Longitude", "Mailing Country", "Residence Address", "Residence City", "Residence State", "Residence Zip", "Residence Latitude", "Residence Longitude", "Residence Country", "Gender", "Birthdate", "ELL Status", "FederalRace", "Graduation Year"],
    required: ["SIS ID", "School SIS ID", "Username"],
    // Username: the guide lists it as optional, the minimum samples carry it, and start checks it.
    requiredSource: "kit (INFERRED, sds-csv §3)",
    optionalSource: "documented sds-csv §3 [D GUIDE][S]",
    alwaysTaken: namesAlwaysTaken,
    unique: [
      { columns: ["SIS ID"], source: "documented sds-csv §4 [D START]" },
      { columns: ["Username"], source: "documented sds-csv §4 [D START]" },
    ],
    references: [schoolReference("documented sds-csv §10 [D ERR-OLD]")],
    formats: [
      sisIdFormat,
      usernameFormat,
      { column: "Secondary Email", format: "email", source: "kit (INFERRED, sds-csv §6)" },
      { column: "Birthdate", format: "date", source: "documented sds-csv §6 [D VALID, FMTOLD]" },
      { column: "Graduation Year", format: "four-digit-year", source: "documented sds-csv §6 [S]" },
    ],
  },
  "studentenrollment.csv": membership("student.csv"),
  "teacher.csv": {
    entity: "teacher",
    // biome-ignore format: the sample's header row, kept on one line as it reads in the file
    columns: ["SIS ID", "School SIS ID", "First Name", "Last Name", "Username", "Password", "State ID", "Teacher Number", "Status", "Middle Name", "Secondary Email", "Title", "Qualification"],
    required: ["SIS ID", "School SIS ID", "Username"],
    requiredSource: "kit (INFERRED, sds-csv §3)",
    optionalSource: "documented sds-csv §3 [D GUIDE][S]",
    alwaysTaken: namesAlwaysTaken,
    unique: [
      { columns: ["SIS ID"], source: "documented sds-csv §4 [D START]" },
      { columns: ["Username"], source: "documented sds-csv §4 [D START]" },
    ],
    references: [schoolReference(schoolReferenceByAnalogy)],
    formats: [
      sisIdFormat,
      usernameFormat,
      { column: "Secondary Email", format: "email", source: "kit (INFERRED, sds-csv §6)" },
    ],
  },
  "teacherroster.csv": membership("teacher.csv"),
};

/** The UK samples' headers, per file, where they differ from the US ones. */
export const ukHeaders: Readonly<Record<RosterFileName, Readonly<Record<string, string>>>> = {
  "school.csv": { "SIS ID": "DfE Number", Zip: "Postal Code" },
  "section.csv": { "SIS ID": "ID", "School SIS ID": "School DfE Number" },
  "student.csv": { "SIS ID": "ID", "School SIS ID": "School DfE Number" },
  "teacher.csv": { "SIS ID": "ID", "School SIS ID": "School DfE Number" },
  "studentenrollment.csv": { "Section SIS ID": "Section ID", "SIS ID": "ID" },
  "teacherroster.csv": { "Section SIS ID": "Section ID", "SIS ID": "ID" },
};
export const ukHeadersSource: RuleSource = "documented sds-csv §7 [S]";

/**
 * How an upload's dialect is chosen: from school.csv's header, `DfE Number` (UK) or `SIS ID`
 * (US); the other five files must use the same one.
 */
export const dialectSource: RuleSource = "kit (INFERRED, sds-csv §7)";

/** A header in a dialect. */
export function headerIn(file: RosterFileName, usHeader: string, dialect: Dialect): string {
  return dialect === "UK" ? (ukHeaders[file][usHeader] ?? usHeader) : usHeader;
}

function define(name: RosterFileName, dialect: Dialect): RosterFileDefinition {
  const shape = shapes[name];
  const rename = (column: string) => headerIn(name, column, dialect);
  const required = new Set(shape.required);
  return {
    name,
    entity: shape.entity,
    columns: shape.columns.map(rename),
    required: shape.required.map(rename),
    requiredSource: shape.requiredSource,
    key: rename("SIS ID"),
    optional: shape.columns.filter((column) => !required.has(column)).map(rename),
    optionalSource: shape.optionalSource,
    alwaysTaken: shape.alwaysTaken.map(rename),
    unique: shape.unique.map((rule) => ({
      ...rule,
      columns: rule.columns.map(rename) as [string] | [string, string],
    })),
    references: shape.references.map((rule) => ({
      ...rule,
      column: rename(rule.column),
      targetColumn: headerIn(rule.target, rule.targetColumn, dialect),
    })),
    formats: shape.formats.map((rule) => ({ ...rule, column: rename(rule.column) })),
  };
}

const definitions: Readonly<Record<Dialect, Readonly<Record<RosterFileName, RosterFileDefinition>>>> = {
  US: Object.fromEntries(rosterFileNames.map((name) => [name, define(name, "US")])) as Record<
    RosterFileName,
    RosterFileDefinition
  >,
  UK: Object.fromEntries(rosterFileNames.map((name) => [name, define(name, "UK")])) as Record<
    RosterFileName,
    RosterFileDefinition
  >,
};

/** The six files' definitions, with the dialect's headers. */
export function rosterFiles(dialect: Dialect): Readonly<Record<RosterFileName, RosterFileDefinition>> {
  return definitions[dialect];
}

export function isRosterFileName(name: string): name is RosterFileName {
  return (rosterFileNames as readonly string[]).includes(name);
}

// Spaces (any Unicode white space) and control characters are what §6 rules out of identifiers.
const identifierPattern = /^[^\s@\p{Cc}]+(?:@[^\s@\p{Cc}]+)?$/u;
const emailPattern = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const compactDate = /^(\d{4})(\d{2})(\d{2})$/;
const usDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function isDate(value: string): boolean {
  const ymd = isoDate.exec(value) ?? compactDate.exec(value);
  if (ymd) return isCalendarDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const slashed = usDate.exec(value);
  if (slashed === null) return false;
  const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
  // Month first, as the samples write it; else day first, as a UK school writes it (dayFirstSource).
  return isCalendarDate(year, first, second) || isCalendarDate(year, second, first);
}

/**
 * Why a day-first date (`30/6/2018`) is a date too: the classic wizard asked which order the dates
 * use [D WIN]; the Graph profile has no such setting, so an upload in either order may have been
 * one the service took.
 */
export const dayFirstSource: RuleSource =
  "kit (UNCONFIRMED, sds-csv §6; the classic wizard let an admin choose the date order, [D WIN], and the API has no such setting, so day-first dates are accepted too)";

export interface ValueFormatDefinition {
  /** What a valid value looks like, for a reader. */
  description: string;
  /** Whether a non-empty value has the format (empty values are the missing-data rule's). */
  accepts(value: string): boolean;
  /**
   * What a value out of the format is: an Error where Microsoft made the format a blocking check,
   * a Warning where the format is only seen in samples or nowhere stated (the lenient answer).
   */
  type: "Error" | "Warning";
  /** Where the format itself comes from. */
  source: RuleSource;
  /** Where its type comes from. */
  typeSource: RuleSource;
}

export const valueFormats: Readonly<Record<ValueFormat, ValueFormatDefinition>> = {
  identifier: {
    description: "no white space or control characters; one `@domain` part allowed",
    accepts: (value) => identifierPattern.test(value),
    type: "Error",
    source: identifierSource,
    // "The names in columns are as per the regex rules" is a check that blocks the sync.
    typeSource: "documented sds-csv §6 [D VALID, FMTOLD]",
  },
  date: {
    description: "a real calendar date as `YYYY-MM-DD`, `YYYYMMDD`, `M/D/YYYY` or `D/M/YYYY`",
    accepts: isDate,
    type: "Error",
    source: "documented sds-csv §6 [D VALID, FMTOLD]",
    // "The date time provided is as per the standard format" is a check that blocks the sync.
    typeSource: "documented sds-csv §6 [D VALID]",
  },
  email: {
    description: "`local@domain`, without white space or control characters",
    accepts: (value) => emailPattern.test(value),
    type: "Warning",
    source: "kit (INFERRED, sds-csv §6)",
    typeSource: "kit (not documented; no page states an e-mail rule, so a value out of shape warns and never blocks)",
  },
  "four-digit-year": {
    description: "four digits",
    accepts: (value) => value.length === 4 && /^\d{4}$/.test(value),
    type: "Warning",
    source: "documented sds-csv §6 [S]",
    typeSource:
      "kit (not documented; every sample writes four digits, no page makes it a rule, so another value warns)",
  },
};

/** Sources of the rules that are not a column's: kept here so the docs and a test can list them. */
export const rosterRuleSources = {
  sixFilesRequired: rosterFilesSource,
  fileNamesAnyCase: "kit (INFERRED, sds-csv §1)",
  headersCaseSensitive: "documented sds-csv §1 [D V1FMT]",
  headerOrderFree: "kit (INFERRED, sds-csv §1)",
  unknownColumnsIgnored: "kit (INFERRED, sds-csv §3)",
  namesAlwaysTaken: namesAlwaysTakenSource,
  dialect: dialectSource,
  ukHeaders: ukHeadersSource,
} as const satisfies Record<string, RuleSource>;
