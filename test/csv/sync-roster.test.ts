import { describe, expect, test } from "vitest";
import { generateRoster } from "../../src/csv/generate-roster.js";
import { type SyncErrorRecord, syncRoster } from "../../src/csv/sync-roster.js";
import { type Roster, verifyRoster } from "../../src/csv/verify-roster.js";
import { upload } from "./roster-upload.js";

const at = new Date("2026-03-02T08:30:00Z");
const recordedDateTime = "2026-03-02T08:30:00.000Z";

function rosterOf(files: Map<string, string>): Roster {
  const { roster } = verifyRoster(files);
  if (!roster) throw new Error("the upload should be readable");
  return roster;
}

describe("syncRoster > duplicates", () => {
  test("a repeated SIS ID is DuplicateTargetEntries (the older errors page); a repeated Username, None", () => {
    const roster = rosterOf(
      upload({
        "student.csv": [
          "SIS ID,School SIS ID,Username,First Name,Last Name",
          "13001,10001,OKlein,Ora,Klein",
          "13001,10001,OKlein2,Ora,Klein",
          "13002,10001,OKlein,Olga,Klein",
          "13003,10001,FStark,Florence,Stark",
        ],
      }),
    );
    const want: SyncErrorRecord[] = [
      {
        entryType: "Student",
        errorCode: "DuplicateTargetEntries",
        errorMessage:
          "Student 13001 was not synchronized: two users exist with the same SIS ID in the source directory",
        joiningValue: "OKlein2@contoso.edu",
        reportableIdentifier: "OKlein2",
        recordedDateTime,
      },
      {
        entryType: "Student",
        errorCode: "None",
        errorMessage:
          "Student 13002 was not synchronized: its Username OKlein is already used by an earlier row of student.csv",
        joiningValue: "OKlein@contoso.edu",
        reportableIdentifier: "OKlein",
        recordedDateTime,
      },
    ];
    expect(syncRoster(roster, { at, domains: { student: "contoso.edu" } })).toEqual({
      processed: 1 + 1 + 4 + 1,
      errors: want,
      quarantined: false,
    });
  });

  test("a repeated school is None, reported by its name and joined by its SIS ID", () => {
    const roster = rosterOf(
      upload({ "school.csv": ["SIS ID,Name", "10001,Contoso High School", "10001,Contoso East"] }),
    );
    expect(syncRoster(roster, { at }).errors).toEqual([
      {
        entryType: "School",
        errorCode: "None",
        errorMessage:
          "School 10001 was not synchronized: its SIS ID 10001 is already used by an earlier row of school.csv",
        joiningValue: "10001",
        reportableIdentifier: "Contoso East",
        recordedDateTime,
      },
    ]);
  });
});

describe("syncRoster > Microsoft's errors pages", () => {
  test("joiningValue is the matching key with its domain, as Microsoft's one error example shows", () => {
    const roster = rosterOf(
      upload({
        "student.csv": [
          "SIS ID,School SIS ID,Username",
          "13001,10001,Tyler.Smith",
          "13001,10001,Tyler.Smith2",
          "13002,10001,already@district.example",
          "13002,10001,Tyler.Smith3",
        ],
      }),
    );
    const errors = syncRoster(roster, { at, domains: { student: "zsd114.ccsctp.net" } }).errors;
    expect(errors.map((entry) => [entry.joiningValue, entry.reportableIdentifier])).toEqual([
      ["Tyler.Smith2@zsd114.ccsctp.net", "Tyler.Smith2"],
      ["Tyler.Smith3@zsd114.ccsctp.net", "Tyler.Smith3"],
    ]);
  });

  test("a student whose School SIS ID names no school is InvalidLookupReference, as the older errors page documents", () => {
    const roster = rosterOf(
      upload({
        "student.csv": ["SIS ID,School SIS ID,Username", "13001,10001,OKlein", "13002,99999,FStark"],
      }),
    );
    expect(syncRoster(roster, { at })).toMatchObject({
      errors: [
        {
          entryType: "Student",
          errorCode: "InvalidLookupReference",
          errorMessage:
            "Student 13002 was not added to school 99999: no school with that SIS ID was synchronized; confirm the School SIS ID",
          joiningValue: "FStark",
        },
      ],
    });
  });

  test("a section whose SIS ID cannot form a mailNickname is AzureActiveDirectoryInvalidPropertyValue", () => {
    const roster = rosterOf(
      upload({
        "section.csv": ["SIS ID,School SIS ID,Section Name", "11001,10001,Maths", "11002-B,10001,Art"],
        "studentenrollment.csv": ["Section SIS ID,SIS ID", "11001,13001"],
        "teacherroster.csv": ["Section SIS ID,SIS ID", "11002-B,14001"],
      }),
    );
    expect(
      syncRoster(roster, { at }).errors.map((entry) => [entry.entryType, entry.errorCode, entry.joiningValue]),
    ).toEqual([["Section", "AzureActiveDirectoryInvalidPropertyValue", "11002-B"]]);
  });
});

describe("syncRoster > quarantine", () => {
  const failing = (count: number) =>
    rosterOf(
      upload({
        "student.csv": [
          "SIS ID,School SIS ID,Username",
          // The enrolled student, then `count` whose school is not there.
          "13001,10001,OKlein",
          ...Array.from({ length: count }, (_, index) => `${20000 + index},99999,user${index}`),
        ],
      }),
    );

  test("at 15,000 errors the sync stops and the profile is quarantined, as the onboarding page says", () => {
    const result = syncRoster(failing(15_001), { at });
    expect([result.errors.length, result.quarantined]).toEqual([15_000, true]);
    // The school, the section, the enrolled student and the failing ones up to the limit were read.
    expect(result.processed).toBe(1 + 1 + 1 + 15_000);
  });

  test("one error fewer is an ordinary failed sync", () => {
    const result = syncRoster(failing(14_999), { at });
    expect([result.errors.length, result.quarantined]).toEqual([14_999, false]);
  });

  test("the limit can be lowered for a test", () => {
    expect(syncRoster(failing(5), { at, quarantineAt: 3 })).toMatchObject({ quarantined: true, processed: 3 + 3 });
  });
});

describe("syncRoster > special characters", () => {
  const roster = rosterOf(
    upload({
      "school.csv": ["SIS ID,Name", "10001,Contoso High School #1"],
      "section.csv": ["SIS ID,School SIS ID,Section Name", "11001,10001,Art & Design (Period 2)"],
      "student.csv": [
        "SIS ID,School SIS ID,Username,First Name,Middle Name,Last Name",
        "13001,10001,ZOBrien,Zoë,Siobhán,O'Brien-García",
        "13002,10001,MKlein,Mia,,Klein 🙂",
        "13003,10001,JSmith,Jo_Anne,,Smith Jr.",
      ],
      "studentenrollment.csv": ["Section SIS ID,SIS ID", "11001,13001"],
      "teacher.csv": ["SIS ID,School SIS ID,Username,First Name,Last Name", "14001,10001,CBeane,Craig,Beane/Todd"],
    }),
  );

  const want: Pick<SyncErrorRecord, "entryType" | "errorMessage" | "reportableIdentifier">[] = [
    {
      entryType: "School",
      errorMessage:
        "School 10001 was not synchronized: Name holds the unsupported character '#' (U+0023); turn on handleSpecialCharacterConstraint to replace it with _",
      reportableIdentifier: "Contoso High School #1",
    },
    {
      entryType: "Student",
      errorMessage:
        "Student 13002 was not synchronized: Last Name holds the unsupported character '🙂' (U+1F642); turn on handleSpecialCharacterConstraint to replace it with _",
      reportableIdentifier: "MKlein",
    },
    {
      entryType: "Teacher",
      errorMessage:
        "Teacher 14001 was not synchronized: Last Name holds the unsupported character '/' (U+002F); turn on handleSpecialCharacterConstraint to replace it with _",
      reportableIdentifier: "CBeane",
    },
  ];

  test.each([
    ["absent", undefined],
    ["null", null],
    ["false", false],
  ])("handleSpecialCharacterConstraint %s: names outside letters, digits, space and .,'-_()& fail", (_, handle) => {
    const { errors } = syncRoster(roster, { at, handleSpecialCharacterConstraint: handle });
    expect(
      errors.map(({ entryType, errorMessage, reportableIdentifier }) => ({
        entryType,
        errorMessage,
        reportableIdentifier,
      })),
    ).toEqual(want);
    expect(errors.every((entry) => entry.errorCode === "None" && entry.recordedDateTime === recordedDateTime)).toBe(
      true,
    );
  });

  test("handleSpecialCharacterConstraint true: they pass (SDS substitutes _)", () => {
    expect(syncRoster(roster, { at, handleSpecialCharacterConstraint: true })).toEqual({
      processed: 6,
      errors: [],
      quarantined: false,
    });
  });

  test("a record fails once, for its first broken rule", () => {
    const twice = rosterOf(upload({ "school.csv": ["SIS ID,Name", "10001,Contoso", "10001,Contoso #2"] }));
    expect(syncRoster(twice, { at }).errors.map((entry) => entry.errorMessage)).toEqual([
      "School 10001 was not synchronized: its SIS ID 10001 is already used by an earlier row of school.csv",
    ]);
  });
});

describe("syncRoster > a generated roster", () => {
  test("counts every school, section, student and teacher row, deterministically", () => {
    const roster = rosterOf(generateRoster({ seed: 9 }));
    const first = syncRoster(roster, { at });
    expect(first).toEqual({ processed: 2 + 8 + 40 + 6, errors: [], quarantined: false });
    expect(syncRoster(roster, { at })).toEqual(first);
  });

  test("UK: a person's joining value is its Username with the domain, like the US's", () => {
    const roster = rosterOf(
      upload({
        "school.csv": ["DfE Number,Name", "8814001,Contoso Academy"],
        "section.csv": ["ID,School DfE Number,Section Name", "11001,8814001,Maths"],
        "student.csv": ["ID,School DfE Number,Username", "13001,8814001,OKlein", "13002,8814001,OKlein"],
        "studentenrollment.csv": ["Section ID,ID", "11001,13001"],
        "teacher.csv": ["ID,School DfE Number,Username", "14001,8814001,CBeane"],
        "teacherroster.csv": ["Section ID,ID", "11001,14001"],
      }),
    );
    expect(
      syncRoster(roster, { at, domains: { student: "academy.example" } }).errors.map((entry) => [
        entry.joiningValue,
        entry.errorMessage,
      ]),
    ).toEqual([
      [
        "OKlein@academy.example",
        "Student 13002 was not synchronized: its Username OKlein is already used by an earlier row of student.csv",
      ],
    ]);
  });
});
