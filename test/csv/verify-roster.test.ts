import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { rosterBreaks } from "../../src/csv/roster-breaks.js";
import { syncRules } from "../../src/csv/sync-roster.js";
import {
  type OptionalPropertiesToSync,
  type VerificationMessage,
  verificationRules,
  verificationStatus,
  verifyRoster,
} from "../../src/csv/verify-roster.js";
import { packageRoot } from "../../src/package-root.js";
import { referenceAvailable, referenceDir, referenceJsonBlocks } from "../support/reference.js";
import { lines, upload } from "./roster-upload.js";

const error = (fileName: string, description: string): VerificationMessage => ({
  type: "Error",
  fileName,
  description,
});
const warning = (fileName: string, description: string): VerificationMessage => ({
  type: "Warning",
  fileName,
  description,
});

/** The `| check | type | template |` rows of the reference's §9 table. */
function referenceTemplates(): { type: string; template: string }[] {
  const text = readFileSync(join(referenceDir, "sds-csv-v1.md"), "utf8");
  const section = text.slice(text.indexOf("## 9."), text.indexOf("## 10."));
  return [...section.matchAll(/^\| [^|]+ \| `?(Error|Warning)`? \| `([^`]+)` \|$/gm)].map((match) => ({
    type: match[1] ?? "",
    template: match[2] ?? "",
  }));
}

describe("verifyRoster > message templates", () => {
  test.skipIf(!referenceAvailable)(
    "the four data templates are the reference's §9 table, type and punctuation exactly",
    () => {
      const documented = referenceTemplates();
      expect(documented).toHaveLength(4);
      const { missingValue, invalidFormat, duplicateValue, unknownReference } = verificationRules;
      expect(
        [missingValue, invalidFormat, duplicateValue, unknownReference].map(({ type, template }) => ({
          type,
          template,
        })),
      ).toEqual(documented);
    },
  );

  test.each([
    [
      "missing data",
      ["SIS ID,School SIS ID,Username", "13001,10001,OKlein", ",10001,BMcMillan"],
      "1 row(s) have missing data for the field - SIS ID",
    ],
    [
      "invalid format",
      ["SIS ID,School SIS ID,Username", "13001,10001,O Klein"],
      "1 row(s) have an invalid format for the field - Username",
    ],
  ])("%s: the description is filled in word for word", (_, student, description) => {
    expect(verifyRoster(upload({ "student.csv": student })).messages).toEqual([error("student.csv", description)]);
  });

  test("unknown reference: the description is filled in word for word", () => {
    const enrollment = ["Section SIS ID,SIS ID", "11001,13001", "11001,13009"];
    expect(verifyRoster(upload({ "studentenrollment.csv": enrollment })).messages).toEqual([
      error("studentenrollment.csv", "1 row(s) have referenced data not found in source. Field - SIS ID"),
    ]);
  });

  test("a record's school that is not there is no verification message: it fails in the sync (InvalidLookupReference)", () => {
    const result = verifyRoster(upload({ "student.csv": ["SIS ID,School SIS ID,Username", "13001,10009,OKlein"] }));
    expect(result.messages).toEqual([]);
    expect(result.roster).toBeDefined();
  });

  test("duplicates: a Warning ending in a full stop, counting occurrences beyond the first", () => {
    const student = [
      "SIS ID,School SIS ID,Username",
      "13001,10001,OKlein",
      "13001,10001,BMcMillan",
      "13001,10001,FStark",
    ];
    const { messages } = verifyRoster(upload({ "student.csv": student }));
    expect(messages).toEqual([
      warning("student.csv", "2 duplicates found in column SIS ID which requires values to be Unique."),
    ]);
    expect(verificationStatus(messages)).toBe(200);
  });
});

describe("verifyRoster > Microsoft's documented example", () => {
  // The start example of graph-sds-api.md §3.4, rebuilt from the data: 20 good sections, 5 without
  // an SIS ID and 5 with a space in it; 3 students and 3 teachers repeated; enrollment and roster
  // rows naming sections, students and teachers that do not exist.
  const school = ["SIS ID,Name", "10001,Contoso High School"];
  const section = [
    "SIS ID,School SIS ID,Section Name",
    ...lines(20, (i) => `${11001 + i},10001,Math - Algebra ${i + 1}`),
    ...lines(5, (i) => `,10001,History - World History ${i + 1}`),
    ...lines(5, (i) => `11 ${101 + i},10001,Science - Biology ${i + 1}`),
  ];
  const student = [
    "SIS ID,School SIS ID,Username",
    ...lines(40, (i) => `${13001 + i},10001,Student${13001 + i}`),
    ...lines(3, (i) => `${13001 + i},10001,Student${13001 + i}`),
  ];
  const teacher = [
    "SIS ID,School SIS ID,Username",
    ...lines(5, (i) => `${14001 + i},10001,Teacher${14001 + i}`),
    ...lines(3, (i) => `${14001 + i},10001,Teacher${14001 + i}`),
  ];
  const studentEnrollment = [
    "Section SIS ID,SIS ID",
    ...lines(40, (i) => `${11001 + (i % 20)},${13001 + i}`),
    ...lines(125, (i) => `${19001 + i},13001`),
    ...lines(35, (i) => `11001,${18001 + i}`),
  ];
  const teacherRoster = [
    "Section SIS ID,SIS ID",
    ...lines(20, (i) => `${11001 + i},${14001 + (i % 5)}`),
    ...lines(10, (i) => `${19001 + i},14001`),
    ...lines(91, (i) => `11001,${18001 + i}`),
  ];

  test.skipIf(!referenceAvailable)("all ten messages, word for word and in the same order", () => {
    const [example] = referenceJsonBlocks("3.4") as { value: VerificationMessage[] }[];
    const files = upload({
      "school.csv": school,
      "section.csv": section,
      "student.csv": student,
      "studentenrollment.csv": studentEnrollment,
      "teacher.csv": teacher,
      "teacherroster.csv": teacherRoster,
    });
    const { messages } = verifyRoster(files);
    expect(example?.value).toHaveLength(10);
    expect(messages).toEqual(example?.value);
    expect(verificationStatus(messages)).toBe(400);
  });
});

describe("verifyRoster > order", () => {
  test("by file name, then the file's column order, then check; whatever order the files came in", () => {
    const files = upload({
      "teacherroster.csv": ["Section SIS ID,SIS ID", "11009,14009"],
      // Username before SIS ID in this file: its messages come first.
      "student.csv": ["Username,School SIS ID,SIS ID", "OKlein,10001,13001", "OKlein,10001,13 001", ",10001,"],
      "section.csv": ["SIS ID,School SIS ID,Section Name", "11001,10001,Math - Algebra 1", "11001,10009,"],
    });
    const reordered = new Map([...files].reverse());
    expect(verifyRoster(reordered).messages).toEqual([
      warning("section.csv", "1 duplicates found in column SIS ID which requires values to be Unique."),
      error("section.csv", "1 row(s) have missing data for the field - Section Name"),
      error("student.csv", "1 row(s) have missing data for the field - Username"),
      warning("student.csv", "1 duplicates found in column Username which requires values to be Unique."),
      error("student.csv", "1 row(s) have missing data for the field - SIS ID"),
      error("student.csv", "1 row(s) have an invalid format for the field - SIS ID"),
      error("teacherroster.csv", "1 row(s) have referenced data not found in source. Field - Section SIS ID"),
      error("teacherroster.csv", "1 row(s) have referenced data not found in source. Field - SIS ID"),
    ]);
  });
});

describe("verifyRoster > files", () => {
  test("names match in any letter case; messages name them in lower case", () => {
    const files = upload({ "student.csv": null });
    files.set("Student.CSV", "SIS ID,School SIS ID,Username\r\n13001,10001,O Klein\r\n");
    files.set("Notes.TXT", "x");
    expect(verifyRoster(files).messages).toEqual([
      warning("notes.txt", "File notes.txt is not one of the six SDS CSV files, and is not read"),
      error("student.csv", "1 row(s) have an invalid format for the field - Username"),
    ]);
  });

  test("a missing file stops the data checks: no roster, structural messages only", () => {
    const result = verifyRoster(
      upload({ "teacher.csv": null, "student.csv": ["SIS ID,School SIS ID,Username", ",10001,"] }),
    );
    expect(result.messages).toEqual([error("teacher.csv", "Required file teacher.csv is missing")]);
    expect(result.roster).toBeUndefined();
  });

  test("an unexpected file is a Warning, as the folder only should hold nothing else; the six are read", () => {
    const files = upload();
    files.set("extra.csv", "a,b\r\n");
    const result = verifyRoster(files);
    expect(result.messages).toEqual([
      warning("extra.csv", "File extra.csv is not one of the six SDS CSV files, and is not read"),
    ]);
    expect(verificationStatus(result.messages)).toBe(200);
    expect(result.roster?.tables["student.csv"].rows).toEqual([["13001", "10001", "OKlein"]]);
  });

  test("more than maxRows data rows (the header not counted) is an Error; maxRows itself is not", () => {
    const school = ["SIS ID,Name", ...lines(3, (i) => `${10001 + i},School ${i + 1}`)];
    expect(verifyRoster(upload({ "school.csv": school }), { maxRows: 3 }).messages).toEqual([]);
    expect(verifyRoster(upload({ "school.csv": school }), { maxRows: 2 }).messages).toEqual([
      error("school.csv", "File has 3 data rows, more than the 2 allowed in one file"),
    ]);
  });

  test("a quoted value never closed, or text after a closing quote, is not valid CSV", () => {
    expect(verifyRoster(upload({ "school.csv": ["SIS ID,Name", '10001,"Contoso High School'] })).messages).toEqual([
      error("school.csv", "File is not valid CSV: a quoted value is still open at the end of the file"),
    ]);
    expect(verifyRoster(upload({ "school.csv": ["SIS ID,Name", '10001,"Contoso" High School'] })).messages).toEqual([
      error("school.csv", "File is not valid CSV: line 2 has characters after the closing quote of a value"),
    ]);
  });

  test("every missing required header is its own Error; an unknown extra column is ignored", () => {
    const { messages } = verifyRoster(upload({ "section.csv": ["Section Name,Notes", "Math - Algebra 1,"] }));
    expect(messages).toEqual([
      error("section.csv", "Required column SIS ID is missing"),
      error("section.csv", "Required column School SIS ID is missing"),
    ]);
  });

  test("a value of white space only is missing data, not an invalid format", () => {
    const student = ["SIS ID,School SIS ID,Username", "13001,10001,OKlein", "13002,10001,\u00a0 "];
    expect(verifyRoster(upload({ "student.csv": student })).messages).toEqual([
      error("student.csv", "1 row(s) have missing data for the field - Username"),
    ]);
  });

  test("headers are case-sensitive", () => {
    expect(verifyRoster(upload({ "school.csv": ["SIS Id,Name", "10001,Contoso High School"] })).messages).toEqual([
      error("school.csv", "Required column SIS ID is missing"),
    ]);
  });
});

describe("verifyRoster > encoding and line ends", () => {
  const generated = generateRoster({ seed: 5 });
  const clean = verifyRoster(generated);
  const encoder = new TextEncoder();
  const variants: [string, (text: string) => Uint8Array | string][] = [
    ["CRLF text", (text) => text],
    ["CRLF bytes", (text) => encoder.encode(text)],
    ["bytes with a UTF-8 BOM", (text) => Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(text)])],
    ["text with a BOM", (text) => `\uFEFF${text}`],
    ["LF bytes", (text) => encoder.encode(text.replaceAll("\r\n", "\n"))],
    ["LF with a BOM, no final line end", (text) => `\uFEFF${text.replaceAll("\r\n", "\n").trimEnd()}`],
  ];

  test.each(variants)("%s: no message, and the same rows", (_, encode) => {
    const result = verifyRoster(new Map([...generated].map(([name, text]) => [name, encode(text)])));
    expect(result.messages).toEqual([]);
    expect(result.roster).toEqual(clean.roster);
  });

  test("quoted values with commas and doubled quotes are read as RFC 4180 says", () => {
    const result = verifyRoster(upload({ "school.csv": ["SIS ID,Name", '10001,"Contoso ""North"", High School"'] }));
    expect(result.messages).toEqual([]);
    expect(result.roster?.tables["school.csv"].rows).toEqual([["10001", 'Contoso "North", High School']]);
  });

  test("a lone CR inside an unquoted value is a line break in a value", () => {
    const files = upload();
    files.set("school.csv", "SIS ID,Name\r\n10001,Contoso\rHigh School\r\n");
    expect(verifyRoster(files).messages).toEqual([error("school.csv", "1 row(s) have a line break inside a value")]);
  });
});

describe("verifyRoster > optionalPropertiesToSync", () => {
  const student = (header: string, ...rows: string[]) => upload({ "student.csv": [header, ...rows] });
  const withBirthdate = student(
    "SIS ID,School SIS ID,Username,State ID,Birthdate",
    "13001,10001,OKlein,WA,2/30/2000",
    "13002,10001,BMcMillan,,11/12/1999",
  );
  const cases: [
    string,
    { files: Map<string, string>; options: OptionalPropertiesToSync | undefined },
    VerificationMessage[],
  ][] = [
    [
      "absent: every optional column present is read and checked for format",
      { files: withBirthdate, options: undefined },
      [error("student.csv", "1 row(s) have an invalid format for the field - Birthdate")],
    ],
    [
      "null: the same",
      { files: withBirthdate, options: { student: null } },
      [error("student.csv", "1 row(s) have an invalid format for the field - Birthdate")],
    ],
    [
      "absent or null: an empty optional cell is no message",
      { files: student("SIS ID,School SIS ID,Username,State ID", "13001,10001,OKlein,"), options: undefined },
      [],
    ],
    ["a list without the column: it is not checked", { files: withBirthdate, options: { student: [] } }, []],
    [
      "a selected column present with some cells empty: a Warning with the missing-data wording",
      { files: withBirthdate, options: { student: ["State ID"] } },
      [warning("student.csv", "1 row(s) have missing data for the field - State ID")],
    ],
    [
      "a selected column is checked for format too",
      { files: withBirthdate, options: { student: ["Birthdate"] } },
      [error("student.csv", "1 row(s) have an invalid format for the field - Birthdate")],
    ],
    [
      "a selected column whose header is absent: a Warning for every row, as the validation page says",
      { files: withBirthdate, options: { student: ["Grade", "Gender"] } },
      [
        warning("student.csv", "2 row(s) have missing data for the field - Grade"),
        warning("student.csv", "2 row(s) have missing data for the field - Gender"),
      ],
    ],
    [
      "a selected name that is no column of the file (Graph's list example's Email): a Warning, once",
      { files: withBirthdate, options: { student: ["Email", "Email", "State ID"] } },
      [
        warning("student.csv", "1 row(s) have missing data for the field - State ID"),
        warning("student.csv", "Column Email is selected for sync but is not a column of student.csv"),
      ],
    ],
    [
      "a selected required column is ignored: required columns always sync",
      { files: withBirthdate, options: { student: ["Username"] } },
      [],
    ],
    [
      "another kind's selection does not apply",
      { files: withBirthdate, options: { teacher: [] } },
      [error("student.csv", "1 row(s) have an invalid format for the field - Birthdate")],
    ],
  ];

  test.each(cases)("%s", (_, { files, options }, want) => {
    const { messages } = verifyRoster(files, options ? { optionalPropertiesToSync: options } : {});
    expect(messages).toEqual(want);
  });
});

describe("verifyRoster > the UK dialect", () => {
  test("school.csv's DfE Number makes the upload UK, and messages name the UK columns", () => {
    const result = verifyRoster(
      upload({
        "school.csv": ["DfE Number,Name,Postal Code", "8814001,Contoso Academy,LS1 4AB"],
        "section.csv": ["ID,School DfE Number,Section Name", "11001,8814001,Maths"],
        "student.csv": ["ID,School DfE Number,Username", "13001,8814001,OKlein", "13001,8814001,BMcMillan"],
        "studentenrollment.csv": ["Section ID,ID", "11009,13001"],
        "teacher.csv": ["ID,School DfE Number,Username", "14001,8814001,CBeane"],
        "teacherroster.csv": ["Section ID,ID", "11001,14001"],
      }),
    );
    expect(result.roster?.dialect).toBe("UK");
    expect(result.messages).toEqual([
      warning("student.csv", "1 duplicates found in column ID which requires values to be Unique."),
      error("studentenrollment.csv", "1 row(s) have referenced data not found in source. Field - Section ID"),
    ]);
  });

  test("a file in the other dialect is one Error naming both", () => {
    const { messages } = verifyRoster(
      upload({ "school.csv": ["DfE Number,Name", "8814001,Contoso Academy"], "teacherroster.csv": null }),
    );
    expect(messages).toEqual([
      error(
        "section.csv",
        "Column names follow the US format (SIS ID, School SIS ID) but the upload uses the UK format (ID, School DfE Number)",
      ),
      error(
        "student.csv",
        "Column names follow the US format (SIS ID, School SIS ID) but the upload uses the UK format (ID, School DfE Number)",
      ),
      error(
        "studentenrollment.csv",
        "Column names follow the US format (Section SIS ID, SIS ID) but the upload uses the UK format (Section ID, ID)",
      ),
      error(
        "teacher.csv",
        "Column names follow the US format (SIS ID, School SIS ID) but the upload uses the UK format (ID, School DfE Number)",
      ),
      error("teacherroster.csv", "Required file teacherroster.csv is missing"),
    ]);
  });

  test("the generated UK set verifies clean as UK", () => {
    const result = verifyRoster(generateRoster({ dialect: "UK" }));
    expect(result.messages).toEqual([]);
    expect(result.roster?.dialect).toBe("UK");
  });
});

describe("docs/csv.md", () => {
  const page = readFileSync(join(packageRoot, "docs", "csv.md"), "utf8");
  test.each([...Object.entries(verificationRules), ...Object.entries(syncRules)])(
    "lists %s with its template and source",
    (_, rule) => {
      expect(page).toContain(rule.template);
      expect(page).toContain(rule.source);
    },
  );

  test.each(Object.keys(rosterBreaks))("lists the break %s", (name) => {
    expect(page).toContain(`\`${name}\``);
  });
});
