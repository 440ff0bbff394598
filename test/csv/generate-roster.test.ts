import { describe, expect, test } from "vitest";
import { type GenerateRosterOptions, generateRoster } from "../../src/csv/generate-roster.js";
import { rosterBreaks } from "../../src/csv/roster-breaks.js";
import { rosterFileNames } from "../../src/csv/roster-files.js";
import { syncRoster } from "../../src/csv/sync-roster.js";
import { verificationRules, verificationStatus, verifyRoster } from "../../src/csv/verify-roster.js";

// The header rows of Microsoft's fullest samples (CSV Samples/Student.csv, SDS Format/25 Users and
// 100 Users), Password left out as the generator leaves it out.
const sampleHeaders = {
  "school.csv":
    "SIS ID,Name,School Number,School NCES_ID,State ID,Grade Low,Grade High,Principal SIS ID,Principal Name,Principal Secondary Email,Address,City,State,Country,Zip,Phone,Zone",
  "section.csv":
    "SIS ID,School SIS ID,Section Name,Section Number,Term SIS ID,Term Name,Term StartDate,Term EndDate,Course SIS ID,Course Name,Course Number,Course Description,Course Subject,Periods,Status",
  "student.csv":
    "SIS ID,School SIS ID,First Name,Last Name,Username,State ID,Secondary Email,Student Number,Middle Name,Grade,Status,Mailing Address,Mailing City,Mailing State,Mailing Zip,Mailing Latitude,Mailing Longitude,Mailing Country,Residence Address,Residence City,Residence State,Residence Zip,Residence Latitude,Residence Longitude,Residence Country,Gender,Birthdate,ELL Status,FederalRace,Graduation Year",
  "studentenrollment.csv": "Section SIS ID,SIS ID",
  "teacher.csv":
    "SIS ID,School SIS ID,First Name,Last Name,Username,State ID,Teacher Number,Status,Middle Name,Secondary Email,Title,Qualification",
  "teacherroster.csv": "Section SIS ID,SIS ID",
};

const dataRows = (text: string | undefined) => (text ?? "").split("\r\n").length - 2;

describe("generateRoster > clean", () => {
  const sets: [string, GenerateRosterOptions][] = [
    ["the defaults", {}],
    ["UK", { dialect: "UK", seed: "uk" }],
    ["more sections than courses", { seed: 2, schools: 3, sectionsPerSchool: 23, studentsPerSchool: 60 }],
    ["more schools than school names", { seed: 3, schools: 9, studentsPerSchool: 5, sectionsPerSchool: 2 }],
    ["no teachers", { seed: 4, teachersPerSchool: 0 }],
    ["more sections per student than a school has", { seed: 5, sectionsPerSchool: 2, sectionsPerStudent: 6 }],
  ];

  test.each(sets)("%s: verifies with no message, and syncs with no error", (_, options) => {
    const result = verifyRoster(generateRoster(options));
    expect(result.messages, `seed ${String(options.seed ?? 1)}`).toEqual([]);
    if (!result.roster) throw new Error("a clean set has a roster");
    expect(syncRoster(result.roster, { at: new Date(0) }).errors).toEqual([]);
  });

  test("the six files, CRLF, no BOM, headers in the samples' order", () => {
    const files = generateRoster();
    expect([...files.keys()]).toEqual([...rosterFileNames]);
    for (const [name, text] of files) {
      expect(text.slice(0, text.indexOf("\r\n")), name).toBe(sampleHeaders[name as keyof typeof sampleHeaders]);
      expect(text.charCodeAt(0), name).not.toBe(0xfeff);
      expect(text.replaceAll("\r\n", ""), name).not.toMatch(/[\r\n]/);
    }
  });

  test("the sizes asked for", () => {
    const files = generateRoster({ schools: 3, sectionsPerSchool: 5, studentsPerSchool: 7, teachersPerSchool: 2 });
    expect(dataRows(files.get("school.csv"))).toBe(3);
    expect(dataRows(files.get("section.csv"))).toBe(15);
    expect(dataRows(files.get("student.csv"))).toBe(21);
    expect(dataRows(files.get("teacher.csv"))).toBe(6);
    expect(dataRows(files.get("studentenrollment.csv"))).toBe(21 * 3);
    expect(dataRows(files.get("teacherroster.csv"))).toBe(15);
  });

  test("a size that is not a whole number is refused", () => {
    expect(() => generateRoster({ schools: 1.5 })).toThrow("schools must be a whole number, got 1.5");
  });
});

describe("generateRoster > reproducible", () => {
  test("the same seed gives the same bytes; another seed does not", () => {
    const once = generateRoster({ seed: 42 });
    expect(generateRoster({ seed: 42 })).toEqual(once);
    const other = generateRoster({ seed: 43 });
    expect(other.get("student.csv")).not.toBe(once.get("student.csv"));
    expect(generateRoster({ seed: "spring term" })).toEqual(generateRoster({ seed: "spring term" }));
    expect(generateRoster({ seed: "spring term" }).get("student.csv")).not.toBe(once.get("student.csv"));
  });

  test("the default seed is 1", () => {
    expect(generateRoster()).toEqual(generateRoster({ seed: 1 }));
  });
});

describe("rosterBreaks", () => {
  const base = generateRoster();

  test.each(Object.entries(rosterBreaks))("%s: exactly its expected messages and status", (_, broken) => {
    const { messages } = verifyRoster(broken.apply(base), broken.verifyOptions);
    expect(messages).toEqual(broken.expected);
    expect(verificationStatus(messages)).toBe(broken.status);
  });

  test.each(Object.entries(rosterBreaks).filter(([, broken]) => broken.status === 200))(
    "%s: the sync records exactly its sync errors",
    (_, broken) => {
      const { roster } = verifyRoster(broken.apply(base), broken.verifyOptions);
      if (!roster) throw new Error("a set that starts has a roster");
      const { errors } = syncRoster(roster, { at: new Date("2026-11-27T09:14:05Z") });
      expect(errors.map(({ entryType, errorCode }) => ({ entryType, errorCode }))).toEqual(broken.syncErrors ?? []);
    },
  );

  test("every message the verifier can give is some break's", () => {
    const given = Object.values(rosterBreaks).flatMap((broken) => broken.expected);
    const patternOf = (template: string) =>
      new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}/g, ".+")}$`);
    const unmatched = Object.entries(verificationRules)
      .filter(
        ([, rule]) =>
          !given.some((entry) => entry.type === rule.type && patternOf(rule.template).test(entry.description)),
      )
      .map(([name]) => name);
    expect(unmatched).toEqual([]);
  });

  test("a break leaves the set it was given as it was", () => {
    const copy = new Map(base);
    for (const broken of Object.values(rosterBreaks)) broken.apply(base);
    expect(base).toEqual(copy);
  });
});
