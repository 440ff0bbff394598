import { Buffer } from "node:buffer";
import { loadOnFirstUse } from "../parts/load-on-first-use.js";
import { type Dialect, type RosterFileName, rosterFileNames, rosterFiles } from "./roster-files.js";
import { createSeededRandom, type SeededRandom } from "./seeded-random.js";
import type { SyncErrorRecord } from "./sync-roster.js";
import type { VerificationMessage, VerifyRosterOptions } from "./verify-roster.js";

const csvParse = loadOnFirstUse<typeof import("csv-parse/sync")>("csv-parse/sync");
const csvStringify = loadOnFirstUse<typeof import("csv-stringify/sync")>("csv-stringify/sync");

export interface GenerateRosterOptions {
  /** The same seed gives the same bytes. Default 1. */
  seed?: number | string;
  /** Default 2. */
  schools?: number;
  /** Default 4. */
  sectionsPerSchool?: number;
  /** Default 20. */
  studentsPerSchool?: number;
  /** Default 3. */
  teachersPerSchool?: number;
  /** Sections each student is enrolled in, within the student's school. Default 3. */
  sectionsPerStudent?: number;
  /** US headers (`SIS ID`) or the UK samples' (`DfE Number`, `ID`). Default US. */
  dialect?: Dialect;
}

// biome-ignore format: a word list reads best as one line
const firstNames = ["Ora", "Beulah", "Noah", "Sofia", "Liam", "Amara", "Mateo", "Zoë", "Aiden", "Priya", "José", "Chloé", "Ethan", "Hana", "Malik", "Isla", "Yusuf", "Freya", "Diego", "Aoife", "Kai", "Leila", "Oliver", "Siobhán", "Tomás", "Mia", "Arjun", "Grace", "Elijah", "Nia", "Björn", "Camille", "Darius", "Emily", "Felix", "Imani", "Jonah", "Keira", "Lucas", "Maya"];
// biome-ignore format: a word list reads best as one line
const lastNames = ["Klein", "McMillan", "García", "Nguyen", "O'Brien", "Smith-Jones", "Patel", "Okafor", "Müller", "Johansson", "Kowalski", "Rossi", "Dubois", "Kim", "Haddad", "Fitzgerald", "Santos", "Novak", "Chen", "Murphy", "Ali", "Lindqvist", "MacDonald", "D'Angelo", "Yamamoto", "Adeyemi", "Hernández", "Schmidt", "Walker", "Ibrahim"];
// biome-ignore format: a word list reads best as one line
const streets = ["Maple Avenue", "Fieldchat Road", "Carlisle Avenue", "Lake Way", "Pine Lane", "Vale Court", "Shore Drive", "Cedar Street", "Hill Road", "Park Lane"];
// biome-ignore format: a word list reads best as one line
const schoolPlaces = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Adventure Works", "Lakeshore", "Riverside"];
const courses = [
  { subject: "Math", name: "Algebra 1" },
  { subject: "English", name: "Language 1" },
  { subject: "Science", name: "Biology 1" },
  { subject: "History", name: "World History 1" },
  { subject: "Math", name: "Geometry" },
  { subject: "Science", name: "Chemistry" },
  { subject: "Arts", name: "Art & Design" },
  { subject: "Technology", name: "Programming 1" },
  { subject: "Languages", name: "Spanish 1" },
  { subject: "Health", name: "Physical Education 1" },
];

interface Place {
  city: string;
  region: string;
  postalCode: (random: SeededRandom) => string;
  latitude: number;
  longitude: number;
}

interface Locale {
  country: string;
  places: readonly Place[];
  schoolKind: string;
  grades: readonly [number, number];
  /** The sync year's leavers are in the last grade; a birthdate puts a leaver at 18. */
  leavingYear: number;
  termStart: readonly [number, number, number];
  termEnd: readonly [number, number, number];
  /** Dates as the locale writes them; both are formats the verifier accepts. */
  date: (year: number, month: number, day: number) => string;
  phone: (random: SeededRandom) => string;
  schoolStateId: (index: number) => string;
  schoolNcesId: (index: number) => string;
  personStateId: (index: number) => string;
  qualifications: readonly string[];
}

const digits = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => String(random.int(10))).join("");
const letters = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => "ABDEFGHJLNPQRSTUWXYZ"[random.int(20)]).join("");
const pad = (value: number) => String(value).padStart(2, "0");

const us: Locale = {
  country: "US",
  places: [
    { city: "Redmond", region: "WA", postalCode: () => "98052", latitude: 47.674, longitude: -122.121 },
    { city: "Seattle", region: "WA", postalCode: () => "98105", latitude: 47.661, longitude: -122.303 },
    { city: "Bellevue", region: "WA", postalCode: () => "98004", latitude: 47.615, longitude: -122.201 },
    { city: "Kirkland", region: "WA", postalCode: () => "98033", latitude: 47.681, longitude: -122.209 },
    { city: "Sammamish", region: "WA", postalCode: () => "98074", latitude: 47.616, longitude: -122.036 },
  ],
  schoolKind: "High School",
  grades: [9, 12],
  leavingYear: 2026,
  termStart: [2025, 8, 27],
  termEnd: [2026, 6, 12],
  date: (year, month, day) => `${month}/${day}/${year}`,
  phone: (random) => `425-555-${digits(random, 4)}`,
  schoolStateId: (index) => `17${String(210 + index).padStart(3, "0")}`,
  schoolNcesId: (index) => `5303960${String(1000 + index).padStart(5, "0")}`,
  personStateId: (index) => String(7_000_000_000 + index),
  qualifications: ["B.Ed.", "M.Ed.", "M.A. Education", "B.Sc. Mathematics"],
};

const uk: Locale = {
  country: "GB",
  places: [
    {
      city: "Leeds",
      region: "West Yorkshire",
      postalCode: (random) => `LS${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.8,
      longitude: -1.549,
    },
    {
      city: "Manchester",
      region: "Greater Manchester",
      postalCode: (random) => `M${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.481,
      longitude: -2.243,
    },
    {
      city: "Bristol",
      region: "Bristol",
      postalCode: (random) => `BS${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 51.455,
      longitude: -2.588,
    },
    {
      city: "York",
      region: "North Yorkshire",
      postalCode: (random) => `YO${random.between(1, 9)} ${random.int(10)}${letters(random, 2)}`,
      latitude: 53.96,
      longitude: -1.082,
    },
  ],
  schoolKind: "Academy",
  grades: [7, 13],
  leavingYear: 2026,
  termStart: [2025, 9, 3],
  termEnd: [2026, 7, 22],
  date: (year, month, day) => `${year}-${pad(month)}-${pad(day)}`,
  phone: (random) => `0113 496 0${digits(random, 3)}`,
  schoolStateId: (index) => String(137_000 + index),
  schoolNcesId: () => "",
  personStateId: (index) => `K${String(801_000_000_000 + index)}`,
  qualifications: ["PGCE", "QTS", "B.Ed.", "M.A. Education"],
};

/** An account name from a person's name: letters only, accents dropped. */
const asciiLetters = (name: string) => name.normalize("NFD").replace(/[^A-Za-z]/g, "");

/**
 * A clean, realistic set of the six CSV files (file name → text: CRLF, no BOM, headers in the
 * order of Microsoft's fullest samples, without `Password`), referentially complete, so
 * `verifyRoster` gives no message. The same options give the same bytes.
 */
export function generateRoster(options: GenerateRosterOptions = {}): Map<string, string> {
  const schools = wholeNumber("schools", options.schools ?? 2);
  const sectionsPerSchool = wholeNumber("sectionsPerSchool", options.sectionsPerSchool ?? 4);
  const studentsPerSchool = wholeNumber("studentsPerSchool", options.studentsPerSchool ?? 20);
  const teachersPerSchool = wholeNumber("teachersPerSchool", options.teachersPerSchool ?? 3);
  const sectionsPerStudent = Math.min(
    wholeNumber("sectionsPerStudent", options.sectionsPerStudent ?? 3),
    sectionsPerSchool,
  );
  const dialect = options.dialect ?? "US";
  const locale = dialect === "UK" ? uk : us;
  const random = createSeededRandom(options.seed ?? 1);
  // Account names are unique across students and teachers, in any letter case, as UPNs are. Bases
  // are letters only, so a numbered name never meets another base's.
  const nextSuffix = new Map<string, number>();
  const username = (base: string) => {
    const suffix = nextSuffix.get(base.toLowerCase()) ?? 1;
    nextSuffix.set(base.toLowerCase(), suffix + 1);
    return suffix === 1 ? base : `${base}${suffix}`;
  };
  const person = (withMiddleName: boolean) => ({
    first: random.pick(firstNames),
    last: random.pick(lastNames),
    // About half the students have a middle name, as in life. Every teacher has one: the service's
    // defaults sync the teachers' Middle Name, and a generated set verifies without a warning.
    middle: withMiddleName || random.next() < 0.5 ? random.pick(firstNames) : "",
  });
  const address = () => `${random.between(1, 9999)} ${random.pick(streets)}`;
  const coordinate = (center: number) => (center + (random.next() - 0.5) / 20).toFixed(6);

  const rows: Record<RosterFileName, Record<string, string>[]> = {
    "school.csv": [],
    "section.csv": [],
    "student.csv": [],
    "studentenrollment.csv": [],
    "teacher.csv": [],
    "teacherroster.csv": [],
  };
  let sectionCount = 0;
  let studentCount = 0;
  let teacherCount = 0;
  const [lowGrade, highGrade] = locale.grades;
  for (let school = 0; school < schools; school += 1) {
    const schoolId = String(dialect === "UK" ? 8_814_001 + school : 10_001 + school);
    const place = locale.places[school % locale.places.length] ?? us.places[0];
    if (!place) throw new Error("a locale needs places");
    const cycle = Math.floor(school / schoolPlaces.length);
    const principal = person(false);
    rows["school.csv"].push({
      "SIS ID": schoolId,
      Name: `${schoolPlaces[school % schoolPlaces.length]} ${locale.schoolKind}${cycle > 0 ? ` ${cycle + 1}` : ""}`,
      "School Number": String(school + 1),
      "School NCES_ID": locale.schoolNcesId(school),
      "State ID": locale.schoolStateId(school),
      "Grade Low": String(lowGrade),
      "Grade High": String(highGrade),
      // Not a reference (reference §5): Microsoft's own sample names principals absent from teacher.csv.
      "Principal SIS ID": String(90_001 + school),
      "Principal Name": `${principal.first} ${principal.last}`,
      "Principal Secondary Email": `principal${school + 1}@example.org`,
      Address: address(),
      City: place.city,
      State: place.region,
      Country: locale.country,
      Zip: place.postalCode(random),
      Phone: locale.phone(random),
      Zone: String((school % 4) + 1),
    });

    const sectionIds: string[] = [];
    for (let index = 0; index < sectionsPerSchool; index += 1) {
      const course = courses[index % courses.length] ?? { subject: "Math", name: "Algebra 1" };
      const period = Math.floor(index / courses.length) + 1;
      const courseNumber = String(((index % courses.length) + 1) * 100 + 1);
      const id = String(2_000_001 + sectionCount);
      sectionCount += 1;
      sectionIds.push(id);
      rows["section.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "Section Name": `${course.subject} - ${course.name}${period > 1 ? ` (Period ${period})` : ""}`,
        "Section Number": `${courseNumber}-${period}`,
        "Term SIS ID": "SY2526",
        "Term Name": "2025-2026",
        "Term StartDate": locale.date(...locale.termStart),
        "Term EndDate": locale.date(...locale.termEnd),
        "Course SIS ID": `${course.subject.toUpperCase().slice(0, 4)}${courseNumber}`,
        "Course Name": `${course.subject} ${courseNumber}`,
        "Course Number": courseNumber,
        "Course Description": `${course.name}, full year`,
        "Course Subject": course.subject,
        Periods: String(((index + period) % 7) + 1),
        Status: "Active",
      });
    }

    const teacherIds: string[] = [];
    for (let index = 0; index < teachersPerSchool; index += 1) {
      const id = String(1_000_001 + teacherCount);
      teacherCount += 1;
      teacherIds.push(id);
      const name = person(true);
      const account = username(`${asciiLetters(name.first)}.${asciiLetters(name.last)}`);
      rows["teacher.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "First Name": name.first,
        "Last Name": name.last,
        Username: account,
        "State ID": locale.personStateId(500_000_000 + teacherCount),
        "Teacher Number": `T${String(teacherCount).padStart(5, "0")}`,
        Status: "Active",
        "Middle Name": name.middle,
        "Secondary Email": `${account.toLowerCase()}@example.net`,
        Title: random.pick(["Teacher", "Teacher", "Head of Department", "Lead Teacher"]),
        Qualification: random.pick(locale.qualifications),
      });
    }
    sectionIds.forEach((sectionId, index) => {
      const teacherId = teacherIds[index % Math.max(teacherIds.length, 1)];
      if (teacherId) rows["teacherroster.csv"].push({ "Section SIS ID": sectionId, "SIS ID": teacherId });
    });

    for (let index = 0; index < studentsPerSchool; index += 1) {
      const id = String(3_000_001 + studentCount);
      studentCount += 1;
      const name = person(false);
      const account = username(`${asciiLetters(name.first).slice(0, 1)}${asciiLetters(name.last)}`);
      const grade = random.between(lowGrade, highGrade);
      const leaving = locale.leavingYear + (highGrade - grade);
      const home = address();
      const postalCode = place.postalCode(random);
      const latitude = coordinate(place.latitude);
      const longitude = coordinate(place.longitude);
      rows["student.csv"].push({
        "SIS ID": id,
        "School SIS ID": schoolId,
        "First Name": name.first,
        "Last Name": name.last,
        Username: account,
        "State ID": locale.personStateId(studentCount),
        "Secondary Email": `guardian.${account.toLowerCase()}@example.org`,
        "Student Number": String(studentCount),
        "Middle Name": name.middle,
        Grade: String(grade),
        Status: "Active",
        "Mailing Address": home,
        "Mailing City": place.city,
        "Mailing State": place.region,
        "Mailing Zip": postalCode,
        "Mailing Latitude": latitude,
        "Mailing Longitude": longitude,
        "Mailing Country": locale.country,
        "Residence Address": home,
        "Residence City": place.city,
        "Residence State": place.region,
        "Residence Zip": postalCode,
        "Residence Latitude": latitude,
        "Residence Longitude": longitude,
        "Residence Country": locale.country,
        Gender: random.pick(["F", "M"]),
        Birthdate: locale.date(leaving - 18, random.between(1, 12), random.between(1, 28)),
        "ELL Status": random.next() < 0.1 ? "Yes" : "No",
        // Left empty, as in Microsoft's samples: the codes it takes are not documented.
        FederalRace: "",
        "Graduation Year": String(leaving),
      });
      for (const pick of random.sample(sectionIds.length, sectionsPerStudent)) {
        const sectionId = sectionIds[pick];
        if (sectionId) rows["studentenrollment.csv"].push({ "Section SIS ID": sectionId, "SIS ID": id });
      }
    }
  }

  const files = new Map<string, string>();
  const written = rosterFiles(dialect);
  const spelled = rosterFiles("US");
  for (const name of Object.keys(rows) as RosterFileName[]) {
    // Password is left out: a fixture has no business carrying anything that looks like a secret.
    const columns = spelled[name].columns.filter((column) => column !== "Password");
    const header = columns.map((column) => written[name].columns[spelled[name].columns.indexOf(column)] ?? column);
    const records = rows[name].map((row) => columns.map((column) => row[column] ?? ""));
    files.set(name, toCsv([header, ...records]));
  }
  return files;
}

/** CRLF records, as the samples; a value holding a lone CR or LF is quoted too, not only one holding CRLF. */
function toCsv(rows: readonly (readonly string[])[]): string {
  return csvStringify().stringify(rows as string[][], { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}

function wholeNumber(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, got ${value}`);
  return value;
}

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
    expected: [error("teacherroster.csv", "Required file teacherroster.csv is missing")],
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
    expected: [
      error("school.csv", "File school.csv was uploaded more than once, under names that differ only in letter case"),
    ],
    status: 400,
  },
  "unexpected-file": {
    description: "a ReadMe.txt is uploaded with the six files: a Warning (the folder should hold nothing else)",
    apply: (files) => new Map([...files, ["ReadMe.txt", "Roster export, autumn term\r\n"]]),
    expected: [warning("readme.txt", "File readme.txt is not one of the six SDS CSV files, and is not read")],
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
      error(
        "classes.csv",
        "The upload holds SDS v2 files (classes.csv, enrollments.csv, orgs.csv, users.csv); a CSV profile reads the six SDS v1 files: school.csv, section.csv, student.csv, studentenrollment.csv, teacher.csv, teacherroster.csv",
      ),
      ...rosterFileNames.map((name) => error(name, `Required file ${name} is missing`)),
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
    expected: [error("student.csv", "File is not valid UTF-8: the first invalid byte is on line 2")],
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
    expected: [error("school.csv", "File is not valid CSV: line 2 has a quote inside a value that is not quoted")],
    status: 400,
  },
  "quoted-line-break": {
    description: "a section name holds a line break, quoted as RFC 4180 allows",
    apply: (files) =>
      editRows(files, "section.csv", (rows, column) => setCell(rows, 1, column("Section Name"), "Math -\nAlgebra 1")),
    expected: [error("section.csv", "1 row(s) have a line break inside a value")],
    status: 400,
  },
  "wrong-field-count": {
    description: "the first teacher row has one field more than the header",
    apply: (files) => editRows(files, "teacher.csv", (rows) => rows[1]?.push("")),
    expected: [error("teacher.csv", "1 row(s) have a different number of fields from the header row")],
    status: 400,
  },
  "empty-file": {
    description: "school.csv is empty",
    apply: (files) => new Map([...files, ["school.csv", ""]]),
    expected: [error("school.csv", "File has no header row")],
    status: 400,
  },
  "missing-required-column": {
    description: "student.csv has no Username column",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => {
        const index = column("Username");
        for (const row of rows) row.splice(index, 1);
      }),
    expected: [error("student.csv", "Required column Username is missing")],
    status: 400,
  },
  "duplicate-header": {
    description: "teacher.csv names Last Name twice (Middle Name's header is overwritten)",
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) => setCell(rows, 0, column("Middle Name"), "Last Name")),
    expected: [error("teacher.csv", "Column Last Name is named more than once")],
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
      error(
        "section.csv",
        "Column names follow the UK format (ID, School DfE Number) but the upload uses the US format (SIS ID, School SIS ID)",
      ),
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
    expected: [error("school.csv", "File has 201 data rows, more than the 200 allowed in one file")],
    status: 400,
  },
  "missing-required-value": {
    description: "the first section has no Section Name",
    apply: (files) => editRows(files, "section.csv", (rows, column) => setCell(rows, 1, column("Section Name"), "")),
    expected: [error("section.csv", "1 row(s) have missing data for the field - Section Name")],
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
    expected: [error("school.csv", "1 row(s) have an invalid format for the field - SIS ID")],
    status: 400,
  },
  "invalid-username": {
    description: "the first student's Username holds a space (Ora Klein)",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Username"), "Ora Klein")),
    expected: [error("student.csv", "1 row(s) have an invalid format for the field - Username")],
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
    expected: [error("student.csv", "1 row(s) have an invalid format for the field - Birthdate")],
    status: 400,
  },
  "invalid-email": {
    description: "the first teacher's Secondary Email has no @: a Warning (no page states an e-mail rule)",
    apply: (files) =>
      editRows(files, "teacher.csv", (rows, column) =>
        setCell(rows, 1, column("Secondary Email"), "craig.example.net"),
      ),
    expected: [warning("teacher.csv", "1 row(s) have an invalid format for the field - Secondary Email")],
    status: 200,
  },
  "invalid-graduation-year": {
    description:
      "the first student's Graduation Year has two digits (27): a Warning (four digits is only what samples show)",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) => setCell(rows, 1, column("Graduation Year"), "27")),
    expected: [warning("student.csv", "1 row(s) have an invalid format for the field - Graduation Year")],
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
    expected: [warning("student.csv", "1 duplicates found in column SIS ID which requires values to be Unique.")],
    status: 200,
    syncErrors: [{ entryType: "Student", errorCode: "DuplicateTargetEntries" }],
  },
  "duplicate-username": {
    description: "the second student has the first one's Username",
    apply: (files) =>
      editRows(files, "student.csv", (rows, column) =>
        setCell(rows, 2, column("Username"), cell(rows, 1, column("Username"))),
      ),
    expected: [warning("student.csv", "1 duplicates found in column Username which requires values to be Unique.")],
    status: 200,
    syncErrors: [{ entryType: "Student", errorCode: "None" }],
  },
  "duplicate-enrollment": {
    description: "the first enrollment is listed twice",
    apply: (files) => editRows(files, "studentenrollment.csv", (rows) => rows.push(copyOfRow(rows, 1))),
    expected: [
      warning(
        "studentenrollment.csv",
        "1 duplicates found in column Section SIS ID, SIS ID which requires values to be Unique.",
      ),
    ],
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
    expected: [
      error("studentenrollment.csv", "1 row(s) have referenced data not found in source. Field - Section SIS ID"),
    ],
    status: 400,
  },
  "unknown-student-reference": {
    description: "the first enrollment names a student that does not exist",
    apply: (files) =>
      editRows(files, "studentenrollment.csv", (rows, column) => setCell(rows, 1, column("SIS ID"), "3999999")),
    expected: [error("studentenrollment.csv", "1 row(s) have referenced data not found in source. Field - SIS ID")],
    status: 400,
  },
  "unknown-teacher-reference": {
    description: "the first teacher roster row names a teacher that does not exist",
    apply: (files) =>
      editRows(files, "teacherroster.csv", (rows, column) => setCell(rows, 1, column("SIS ID"), "1999999")),
    expected: [error("teacherroster.csv", "1 row(s) have referenced data not found in source. Field - SIS ID")],
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
    expected: [warning("teacher.csv", "6 row(s) have missing data for the field - Title")],
    status: 200,
  },
  "selected-column-unknown": {
    description: "the profile syncs the schools' GradeLow, as Graph's list example does, which is no v1 column",
    verifyOptions: { optionalPropertiesToSync: { school: ["GradeLow"] } },
    apply: (files) => new Map(files),
    expected: [warning("school.csv", "Column GradeLow is selected for sync but is not a column of school.csv")],
    status: 200,
  },
  "selected-optional-column-partly-empty": {
    description: "the profile syncs the teachers' Title, and the first teacher has none",
    verifyOptions: titleSelected,
    apply: (files) => editRows(files, "teacher.csv", (rows, column) => setCell(rows, 1, column("Title"), "")),
    expected: [warning("teacher.csv", "1 row(s) have missing data for the field - Title")],
    status: 200,
  },
} satisfies Record<string, RosterBreak>;

export type RosterBreakName = keyof typeof breaks;

/**
 * One break per verification rule, each with the exact messages and status `verifyRoster` gives
 * for `generateRoster()` broken that way (a test holds every entry to it).
 */
export const rosterBreaks: Readonly<Record<RosterBreakName, RosterBreak>> = breaks;
