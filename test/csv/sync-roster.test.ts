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
  test("records beyond the first with a repeated SIS ID or Username fail with None", () => {
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
        errorCode: "None",
        errorMessage:
          "Student 13001 was not synchronized: its SIS ID 13001 is already used by an earlier row of student.csv",
        joiningValue: "13001",
        reportableIdentifier: "OKlein2",
        recordedDateTime,
      },
      {
        entryType: "Student",
        errorCode: "None",
        errorMessage:
          "Student 13002 was not synchronized: its Username OKlein is already used by an earlier row of student.csv",
        joiningValue: "13002",
        reportableIdentifier: "OKlein",
        recordedDateTime,
      },
    ];
    expect(syncRoster(roster, { at })).toEqual({ processed: 1 + 1 + 4 + 1, errors: want });
  });

  test("a repeated school is reported by its name", () => {
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
    expect(syncRoster(roster, { at, handleSpecialCharacterConstraint: true })).toEqual({ processed: 6, errors: [] });
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
    expect(first).toEqual({ processed: 2 + 8 + 40 + 6, errors: [] });
    expect(syncRoster(roster, { at })).toEqual(first);
  });

  test("UK: the joining value is the record's ID", () => {
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
    expect(syncRoster(roster, { at }).errors.map((entry) => [entry.joiningValue, entry.errorMessage])).toEqual([
      [
        "13002",
        "Student 13002 was not synchronized: its Username OKlein is already used by an earlier row of student.csv",
      ],
    ]);
  });
});
