import { describe, expect, test } from "vitest";
import {
  dayFirstSource,
  rosterFileNames,
  rosterFiles,
  rosterRuleSources,
  ruleSourcePattern,
  ukHeaders,
  type ValueFormat,
  valueFormats,
} from "../../src/csv/roster-files.js";
import { syncRules } from "../../src/csv/sync-roster.js";
import { verificationPolicies, verificationRules } from "../../src/csv/verify-roster.js";

describe("valueFormats", () => {
  const cases: [ValueFormat, { accepts: string[]; refuses: string[] }][] = [
    [
      "date",
      {
        accepts: [
          "2000-04-02",
          "20000402",
          "4/2/2000",
          "04/02/2000",
          "12/31/1999",
          "2/29/2024",
          "2000-02-29",
          "13/1/2000",
          "30/6/2018",
          "29/2/2024",
        ],
        refuses: [
          "2/30/2010",
          "2/29/2023",
          "1900-02-29",
          "13/13/2000",
          "31/2/2000",
          "2000-4-2",
          "2000/04/02",
          "02.04.2000",
          "4/2/00",
          "20001301",
          "0/1/2000",
          "2000-01-00",
        ],
      },
    ],
    [
      "identifier",
      {
        accepts: ["13001", "OKlein", "o.klein@contoso.edu", "SIS-13001_a", "Zoë"],
        refuses: ["O Klein", " 13001", "13001 ", "13\t001", "a\u0007b", "a@b@c", "@contoso.edu", "oklein@", "a\u00a0b"],
      },
    ],
    [
      "email",
      {
        accepts: ["amy.roebuck@contoso.edu", "guardian+1@example.org", "x@y"],
        refuses: ["amy.roebuck", "amy roebuck@contoso.edu", "a@b@c", "@contoso.edu", "amy@"],
      },
    ],
    ["four-digit-year", { accepts: ["2019", "0999"], refuses: ["19", "20190", "２０１９", "2019.0", "'19"] }],
  ];

  test.each(cases)("%s: accepts and refuses", (format, { accepts, refuses }) => {
    const { accepts: test } = valueFormats[format];
    expect(accepts.filter((value) => !test(value))).toEqual([]);
    expect(refuses.filter((value) => test(value))).toEqual([]);
  });
});

describe("rosterFiles", () => {
  test("the required columns of Microsoft's minimum samples (reference §3)", () => {
    const us = rosterFiles("US");
    expect(Object.fromEntries(rosterFileNames.map((name) => [name, us[name].required]))).toEqual({
      "school.csv": ["SIS ID", "Name"],
      "section.csv": ["SIS ID", "School SIS ID", "Section Name"],
      "student.csv": ["SIS ID", "School SIS ID", "Username"],
      "studentenrollment.csv": ["Section SIS ID", "SIS ID"],
      "teacher.csv": ["SIS ID", "School SIS ID", "Username"],
      "teacherroster.csv": ["Section SIS ID", "SIS ID"],
    });
  });

  test("the optional columns: 15 for schools, 12 for sections, 28 for students, 10 for teachers", () => {
    const us = rosterFiles("US");
    expect(rosterFileNames.map((name) => us[name].optional.length)).toEqual([15, 12, 28, 0, 10, 0]);
  });

  test("the UK dialect renames keys and school references (reference §7) and nothing else", () => {
    const uk = rosterFiles("UK");
    const us = rosterFiles("US");
    for (const name of rosterFileNames) {
      const renamed = us[name].columns.map((column) => ukHeaders[name][column] ?? column);
      expect(uk[name].columns, name).toEqual(renamed);
    }
    expect(uk["school.csv"].key).toBe("DfE Number");
    expect(uk["school.csv"].optional).toContain("Postal Code");
    expect(uk["student.csv"].references).toEqual([
      {
        column: "School DfE Number",
        target: "school.csv",
        targetColumn: "DfE Number",
        source: "documented sds-csv §10 [D ERR-OLD]",
        checkedAt: "sync",
      },
    ]);
    expect(uk["teacherroster.csv"].references.map((rule) => [rule.column, rule.target, rule.targetColumn])).toEqual([
      ["Section ID", "section.csv", "ID"],
      ["ID", "teacher.csv", "ID"],
    ]);
  });
});

describe("sources", () => {
  const sources: [string, string][] = [
    ...Object.entries(rosterRuleSources),
    ...Object.entries(valueFormats).flatMap(([name, format]): [string, string][] => [
      [`format ${name}`, format.source],
      [`format ${name} type`, format.typeSource],
    ]),
    ["day-first dates", dayFirstSource],
    ...rosterFileNames.flatMap((name) => {
      const file = rosterFiles("US")[name];
      return [
        [`${name} required`, file.requiredSource],
        [`${name} optional`, file.optionalSource],
        ...file.unique.map((rule): [string, string] => [`${name} unique ${rule.columns.join("+")}`, rule.source]),
        ...file.references.map((rule): [string, string] => [`${name} reference ${rule.column}`, rule.source]),
        ...file.formats.map((rule): [string, string] => [`${name} format ${rule.column}`, rule.source]),
      ] as [string, string][];
    }),
    ...Object.entries(verificationRules).flatMap(([name, rule]): [string, string][] => [
      [`${name} source`, rule.source],
      [`${name} wording`, rule.wording],
    ]),
    ...Object.entries(verificationPolicies),
    ...Object.entries(syncRules).map(([name, rule]): [string, string] => [name, rule.source]),
  ];

  test.each(sources)("%s: %s follows the source grammar", (_, source) => {
    expect(source).toMatch(ruleSourcePattern);
  });

  test("the grammar refuses a source without its tag or reading", () => {
    for (const source of [
      "documented sds-csv §3",
      "kit",
      "kit (INFERRED)",
      "documented §3 [S]",
      "kit (UNCONFIRMED, sds-csv §2)",
    ])
      expect(source).not.toMatch(ruleSourcePattern);
  });
});
