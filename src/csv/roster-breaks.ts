import { Buffer } from "node:buffer";
import { loadOnFirstUse } from "../parts/load-on-first-use.js";
import { type RosterFileName, rosterFileNames } from "./roster-files.js";
import type { SyncErrorRecord } from "./sync-roster.js";
import {
  type VerificationMessage,
  type VerificationRuleName,
  type VerifyRosterOptions,
  verificationMessage,
} from "./verify-roster.js";
import { toCsv } from "./write-csv.js";

const csvParse = loadOnFirstUse<typeof import("csv-parse/sync")>("csv-parse/sync");

/** One way to break a generated set, and exactly what `verifyRoster` answers for it. */
export interface RosterBreak {
  description: string;
  /** A new set from a generated one (bytes where text cannot carry the fault). */
  apply(files: ReadonlyMap<string, string>): Map<string, string | Uint8Array>;
  /** The options to verify with, where the break needs them. */
  verifyOptions?: VerifyRosterOptions;
  /** The messages for `generateRoster()` (the default set) broken this way. */
  expected: VerificationMessage[];
  /** What `POST …/start` answers: 400 with any Error, else 200. */
  status: 200 | 400;
  /** Where the fault shows in the sync instead (or too): the records that fail, in order, and with what. */
  syncErrors?: readonly { entryType: SyncErrorRecord["entryType"]; errorCode: string }[];
}

/**
 * A message `verifyRoster` gives, by the rule that gives it: a break names the rule, the file and
 * the values it expects, and the rule's own template (one catalogue, in verify-roster.ts) words it.
 */
const expect = (
  rule: VerificationRuleName,
  fileName: string,
  values: Readonly<Record<string, string | number>>,
): VerificationMessage => verificationMessage(rule, fileName, values);

function textOf(files: ReadonlyMap<string, string>, name: RosterFileName): string {
  const text = files.get(name);
  if (text === undefined) throw new RangeError(`the set has no ${name} to break`);
  return text;
}

/** A copy of the set with one file's rows (the header first) edited. */
function editRows(
  files: ReadonlyMap<string, string>,
  name: RosterFileName,
  edit: (rows: string[][], column: (header: string) => number) => void,
): Map<string, string | Uint8Array> {
  const rows = csvParse().parse(textOf(files, name)) as string[][];
  const header = rows[0] ?? [];
  const column = (wanted: string) => {
    const index = header.indexOf(wanted);
    if (index < 0) throw new RangeError(`${name} has no column ${wanted}`);
    return index;
  };
  edit(rows, column);
  return new Map<string, string | Uint8Array>([...files, [name, toCsv(rows)]]);
}

function setCell(rows: string[][], row: number, index: number, value: string): void {
  const cells = rows[row];
  if (!cells) throw new RangeError(`the file has no row ${row}`);
  cells[index] = value;
}

const cell = (rows: string[][], row: number, index: number) => rows[row]?.[index] ?? "";
const copyOfRow = (rows: string[][], row: number) => [...(rows[row] ?? [])];
const titleSelected: VerifyRosterOptions = { optionalPropertiesToSync: { teacher: ["Title"] } };

const breaks = {
  "missing-file": {
    description: "teacherroster.csv is not uploaded",
    apply: (files) => new Map([...files].filter(([name]) => name !== "teacherroster.csv")),
    expected: [expect("missingFile", "teacherroster.csv", { file: "teacherroster.csv" })],
    status: 400,
  },
  "sample-file-names": {
    description: "the files carry the samples' spelling (School.csv, StudentEnrollment.csv, ...), which matches",
    apply: (files) => {
      const spelling: Record<string, string> = {
        studentenrollment: "StudentEnrollment",
        teacherroster: "TeacherRoster",
      };
      return new Map(
        [...files].map(([name, text]) => {
          const stem = name.replace(/\.csv$/, "");
          return [`${spelling[stem] ?? stem.charAt(0).toUpperCase() + stem.slice(1)}.csv`, text];
        }),
      );
    },
    expected: [],
    status: 200,
  },
  "file-name-twice": {
    description: "school.csv is uploaded again as School.csv",
    apply: (files) => new Map([...files, ["School.csv", textOf(files, "school.csv")]]),
    expected: [expect("fileNameTwice", "school.csv", { file: "school.csv" })],
    status: 400,
  },
  "unexpected-file": {
    description: "a ReadMe.txt is uploaded with the six files: a Warning (the folder should hold nothing else)",
    apply: (files) => new Map([...files, ["ReadMe.txt", "Roster export, autumn term\r\n"]]),
    expected: [expect("unexpectedFile", "readme.txt", { file: "readme.txt" })],
    status: 200,
  },
  "sds-v2-upload": {
    description: "the six files are replaced by an SDS v2 set (orgs, users, classes, enrollments)",
    apply: () =>
      new Map([
        ["orgs.csv", "sourcedId,name,type,parentSourcedId\r\n1,Contoso District,district,\r\n"],
        ["users.csv", "sourcedId,orgSourcedIds,givenName,familyName,username,password,role,grade\r\n"],
        ["classes.csv", "sourcedId,orgSourcedId,title\r\n"],
        ["enrollments.csv", "classSourcedId,userSourcedId,role\r\n"],
      ]),
    expected: [
      expect("otherFormat", "classes.csv", {
        version: "v2",
        files: "classes.csv, enrollments.csv, orgs.csv, users.csv",
      }),
      ...rosterFileNames.map((name) => expect("missingFile", name, { file: name })),
    ],
    status: 400,
  },
  "white-space-line": {
    description: "teacherroster.csv ends with a line holding only a TAB, as a Microsoft lab's set does: skipped",
    apply: (files) => new Map([...files, ["teacherroster.csv", `${textOf(files, "teacherroster.csv")}\r\n\t\r\n`]]),
    expected: [],
    status: 200,
  },
  "invalid-utf8": {
    description: "student.csv is saved as Latin-1, with a student named Zoë in its first row",
    apply: (files) => {
      const edited = editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("First Name"), "Zoë"));
      const text = edited.get("student.csv");
      // Every name the generator uses is in Latin-1, so no character is lost on the way.
      if (typeof text === "string") edited.set("student.csv", Uint8Array.from(Buffer.from(text, "latin1")));
      return edited;
    },
    expected: [expect("invalidUtf8", "student.csv", { line: 2 })],
    status: 400,
  },
  "stray-quote": {
    description: 'a school\'s name holds quotes in a value that is not quoted: Contoso "North" High School',
    apply: (files) => {
      const lines = textOf(files, "school.csv").split("\r\n");
      const fields = (lines[1] ?? "").split(",");
      fields[1] = 'Contoso "North" High School';
      lines[1] = fields.join(",");
      return new Map<string, string | Uint8Array>([...files, ["school.csv", lines.join("\r\n")]]);
    },
    expected: [expect("invalidCsv", "school.csv", { reason: "line 2 has a quote inside a value that is not quoted" })],
    status: 400,
  },
  "quoted-line-break": {
    description: "a section name holds a line break, quoted as RFC 4180 allows",
    apply: (files) =>
      editRows(files, "section.csv", (rows, column) => setCell(rows, 1, column("Section Name"), "Math -\nAlgebra 1")),
    expected: [expect("lineBreakInValue", "section.csv", { n: 1 })],
    status: 400,
  },
  "wrong-field-count": {
    description: "the first teacher row has one field more than the header",
    apply: (files) => editRows(files, "teacher.csv", (rows) => rows[1]?.push("")),
    expected: [expect("fieldCount", "teacher.csv", { n: 1 })],
    status: 400,
  },
  "empty-file": {
    description: "school.csv is empty",
    apply: (files) => new Map([...files, ["school.csv", ""]]),
    expected: [expect("noHeaderRow", "school.csv", {})],
    status: 400,
  },
  "missing-required-column": {
    description: "student.csv has no Username column",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => {
        const index = column("Username");
        for (const row of rows) row.splice(index, 1);
      }),
    expected: [expect("missingColumn", "student.csv", { col: "Username" })],
    status: 400,
  },
  "duplicate-header": {
    description: "teacher.csv names Last Name twice (Middle Name's header is overwritten)",
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) => setCell(rows, 0, column("Middle Name"), "Last Name")),
    expected: [expect("duplicateColumn", "teacher.csv", { col: "Last Name" })],
    status: 400,
  },
  "dialect-mismatch": {
    description: "section.csv uses the UK headers (ID, School DfE Number) while school.csv uses the US ones",
    apply: (files) =>
      editRows(files, "section.csv", (rows, column) => {
        setCell(rows, 0, column("School SIS ID"), "School DfE Number");
        setCell(rows, 0, column("SIS ID"), "ID");
      }),
    expected: [
      expect("dialectMismatch", "section.csv", {
        found: "UK",
        foundColumns: "ID, School DfE Number",
        dialect: "US",
        columns: "SIS ID, School SIS ID",
      }),
    ],
    status: 400,
  },
  "too-many-rows": {
    description: "school.csv has 201 schools, verified with maxRows 200 (the real limit is 500000)",
    verifyOptions: { maxRows: 200 },
    apply: (files) =>
      editRows(files, "school.csv", (rows, column) => {
        for (let extra = 1; rows.length <= 201; extra += 1) {
          const row = copyOfRow(rows, 1);
          row[column("SIS ID")] = String(20_000 + extra);
          row[column("Name")] = `Satellite Campus ${extra}`;
          rows.push(row);
        }
      }),
    expected: [expect("tooManyRows", "school.csv", { n: 201, max: 200 })],
    status: 400,
  },
  "missing-required-value": {
    description: "the first section has no Section Name",
    apply: (files) => editRows(files, "section.csv", (rows, column) => setCell(rows, 1, column("Section Name"), "")),
    expected: [expect("missingValue", "section.csv", { n: 1, col: "Section Name" })],
    status: 400,
  },
  "invalid-sis-id": {
    description: "an extra school's SIS ID holds a space (10 099)",
    apply: (files) =>
      editRows(files, "school.csv", (rows, column) => {
        const row = copyOfRow(rows, 1);
        row[column("SIS ID")] = "10 099";
        rows.push(row);
      }),
    expected: [expect("invalidFormat", "school.csv", { n: 1, col: "SIS ID" })],
    status: 400,
  },
  "invalid-username": {
    description: "the first student's Username holds a space (Ora Klein)",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Username"), "Ora Klein")),
    expected: [expect("invalidFormat", "student.csv", { n: 1, col: "Username" })],
    status: 400,
  },
  "day-first-date": {
    description:
      "the first student's Birthdate is written day first (30/6/2010): accepted, as the wizard let admins choose",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Birthdate"), "30/6/2010")),
    expected: [],
    status: 200,
  },
  "invalid-date": {
    description: "the first student's Birthdate is 2/30/2010, not a calendar date",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Birthdate"), "2/30/2010")),
    expected: [expect("invalidFormat", "student.csv", { n: 1, col: "Birthdate" })],
    status: 400,
  },
  "invalid-email": {
    description: "the first teacher's Secondary Email has no @: a Warning (no page states an e-mail rule)",
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) =>
        setCell(rows, 1, column("Secondary Email"), "craig.example.net"),
      ),
    expected: [expect("unexpectedFormat", "teacher.csv", { n: 1, col: "Secondary Email" })],
    status: 200,
  },
  "invalid-graduation-year": {
    description:
      "the first student's Graduation Year has two digits (27): a Warning (four digits is only what samples show)",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Graduation Year"), "27")),
    expected: [expect("unexpectedFormat", "student.csv", { n: 1, col: "Graduation Year" })],
    status: 200,
  },
  "duplicate-sis-id": {
    description: "the first student appears again under another Username",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => {
        const row = copyOfRow(rows, 1);
        row[column("Username")] = `${cell(rows, 1, column("Username"))}.copy`;
        rows.push(row);
      }),
    expected: [expect("duplicateValue", "student.csv", { n: 1, col: "SIS ID" })],
    status: 200,
    syncErrors: [{ entryType: "Student", errorCode: "DuplicateTargetEntries" }],
  },
  "duplicate-username": {
    description: "the second student has the first one's Username",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) =>
        setCell(rows, 2, column("Username"), cell(rows, 1, column("Username"))),
      ),
    expected: [expect("duplicateValue", "student.csv", { n: 1, col: "Username" })],
    status: 200,
    syncErrors: [{ entryType: "Student", errorCode: "None" }],
  },
  "duplicate-enrollment": {
    description: "the first enrollment is listed twice",
    apply: (files) => editRows(files, "studentenrollment.csv", (rows) => rows.push(copyOfRow(rows, 1))),
    expected: [expect("duplicateValue", "studentenrollment.csv", { n: 1, col: "Section SIS ID, SIS ID" })],
    status: 200,
  },
  "unknown-school-reference": {
    description:
      "the first teacher's School SIS ID names no school: start passes, and the teacher fails in the sync (InvalidLookupReference)",
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) => setCell(rows, 1, column("School SIS ID"), "99999")),
    expected: [],
    status: 200,
    syncErrors: [{ entryType: "Teacher", errorCode: "InvalidLookupReference" }],
  },
  "unfit-section-sis-id": {
    description:
      "the first section's SIS ID, everywhere it appears, gains '-A': start passes, and the section fails in the sync (its mailNickname)",
    apply: (files) => {
      const first = (csvParse().parse(textOf(files, "section.csv")) as string[][])[1]?.[0] ?? "";
      const renamed = new Map<string, string | Uint8Array>(files);
      for (const [name, column] of [
        ["section.csv", "SIS ID"],
        ["studentenrollment.csv", "Section SIS ID"],
        ["teacherroster.csv", "Section SIS ID"],
      ] as const) {
        const edited = editRows(files, name, (rows, at) => {
          for (const row of rows.slice(1)) if (row[at(column)] === first) row[at(column)] = `${first}-A`;
        });
        renamed.set(name, edited.get(name) ?? "");
      }
      return renamed;
    },
    expected: [],
    status: 200,
    syncErrors: [{ entryType: "Section", errorCode: "AzureActiveDirectoryInvalidPropertyValue" }],
  },
  "unknown-section-reference": {
    description: "the first enrollment names a section that does not exist",
    apply: (files) =>
      editRows(files, "studentenrollment.csv", (rows, column) => setCell(rows, 1, column("Section SIS ID"), "2999999")),
    expected: [expect("unknownReference", "studentenrollment.csv", { n: 1, col: "Section SIS ID" })],
    status: 400,
  },
  "unknown-student-reference": {
    description: "the first enrollment names a student that does not exist",
    apply: (files) =>
      editRows(files, "studentenrollment.csv", (rows, column) => setCell(rows, 1, column("SIS ID"), "3999999")),
    expected: [expect("unknownReference", "studentenrollment.csv", { n: 1, col: "SIS ID" })],
    status: 400,
  },
  "unknown-teacher-reference": {
    description: "the first teacher roster row names a teacher that does not exist",
    apply: (files) =>
      editRows(files, "teacherroster.csv", (rows, column) => setCell(rows, 1, column("SIS ID"), "1999999")),
    expected: [expect("unknownReference", "teacherroster.csv", { n: 1, col: "SIS ID" })],
    status: 400,
  },
  "selected-optional-column-missing": {
    description:
      'the profile syncs the teachers\' Title, and teacher.csv has no Title column: a Warning ("Warnings will be displayed if missing")',
    verifyOptions: titleSelected,
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) => {
        const index = column("Title");
        for (const row of rows) row.splice(index, 1);
      }),
    expected: [expect("selectedColumnMissing", "teacher.csv", { n: 6, col: "Title" })],
    status: 200,
  },
  "selected-column-unknown": {
    description: "the profile syncs the schools' GradeLow, as Graph's list example does, which is no v1 column",
    verifyOptions: { optionalPropertiesToSync: { school: ["GradeLow"] } },
    apply: (files) => new Map(files),
    expected: [expect("selectedColumnUnknown", "school.csv", { col: "GradeLow", file: "school.csv" })],
    status: 200,
  },
  "selected-optional-column-partly-empty": {
    description: "the profile syncs the teachers' Title, and the first teacher has none",
    verifyOptions: titleSelected,
    apply: (files) => editRows(files, "teacher.csv", (rows, column) => setCell(rows, 1, column("Title"), "")),
    expected: [expect("selectedValueMissing", "teacher.csv", { n: 1, col: "Title" })],
    status: 200,
  },
} satisfies Record<string, RosterBreak>;

export type RosterBreakName = keyof typeof breaks;

/**
 * One break per verification rule, each with the exact messages and status `verifyRoster` gives
 * for `generateRoster()` broken that way (a test holds every entry to it).
 */
export const rosterBreaks: Readonly<Record<RosterBreakName, RosterBreak>> = breaks;
