import { type EntityKind, entityFiles, type RuleSource, rosterFiles } from "./roster-files.js";
import type { Roster } from "./verify-roster.js";

/** One `educationSynchronizationError`, as `GET …/errors` lists it (without the id the store adds). */
export interface SyncErrorRecord {
  entryType: "School" | "Section" | "Student" | "Teacher";
  errorCode: string;
  errorMessage: string;
  /**
   * The value the record is matched by: a person's Username with the profile's domain for the role
   * (`Tyler.Smith@zsd114.ccsctp.net`, as Microsoft's one error example shows), a school's or
   * section's SIS ID.
   */
  joiningValue: string;
  /** The record's Username where it has one, else its name. */
  reportableIdentifier: string;
  recordedDateTime: string;
}

/** The domain a role's accounts take: `userDomains[].name`, or `matchingOptions[].targetDomain`. */
export type RoleDomains = Partial<Record<"student" | "teacher", string>>;

export interface SyncRosterOptions {
  /** The profile's `handleSpecialCharacterConstraint`: true replaces unsupported characters instead of failing. */
  handleSpecialCharacterConstraint?: boolean | null;
  /** The profile's domains per role, for a person's `joiningValue`. */
  domains?: RoleDomains;
  /** When the errors are recorded. */
  at: Date;
  /** Errors at which the sync stops and the profile is quarantined (default `quarantineErrorLimit`). */
  quarantineAt?: number;
}

export interface SyncRosterResult {
  /** School, section, student and teacher rows read (up to where a quarantine stopped the sync). */
  processed: number;
  errors: SyncErrorRecord[];
  /** The sync reached the error limit and stopped: the profile is quarantined. */
  quarantined: boolean;
}

/**
 * "SDS can only sustain up to 15,000 errors before the profile enters a quarantine status"
 * (sds-csv §10 [D ONBOARD]); the limits page: once a profile hits it, the sync stops.
 */
export const quarantineErrorLimit = 15_000;
export const quarantineSource: RuleSource = "documented sds-csv §10 [D ONBOARD]";

/**
 * Characters a name may hold without `handleSpecialCharacterConstraint`: letters (with their
 * combining marks, so a decomposed é is a letter too), digits, space and `.,'-_()&`.
 */
const unsupportedNameCharacter = /[^\p{L}\p{M}\p{Nd} .,'\-_()&]/u;
/** What a section's group mail nickname, made from its SIS ID, may hold: letters and digits only. */
const mailNicknameUnfit = /[^A-Za-z0-9]/;

/** When a record fails to sync, and with what, each with its source. */
export const syncRules = {
  duplicatePerson: {
    errorCode: "DuplicateTargetEntries",
    template: "{entry} {id} was not synchronized: two users exist with the same SIS ID in the source directory",
    source: "documented sds-csv §10 [D ERR-OLD]",
  },
  duplicateRecord: {
    errorCode: "None",
    template: "{entry} {id} was not synchronized: its {col} {value} is already used by an earlier row of {file}",
    source:
      "kit (not documented; a repeated school or section SIS ID, or a repeated Username, fails with None, the code for duplicates in a section or student name, sds-csv §10 [D ERR])",
  },
  unknownSchool: {
    errorCode: "InvalidLookupReference",
    template:
      "{entry} {id} was not added to school {school}: no school with that SIS ID was synchronized; confirm the {col}",
    source: "documented sds-csv §10 [D ERR-OLD]",
  },
  unfitMailNickname: {
    errorCode: "AzureActiveDirectoryInvalidPropertyValue",
    template:
      "Section {id} was not synchronized: its SIS ID cannot form the group's mailNickname, which takes letters and digits only",
    source:
      "kit (UNCONFIRMED, sds-csv §10; the older errors page names the code for a section whose values cannot form a mailNickname, [D ERR-OLD]; the kit takes the value to be the SIS ID)",
  },
  unsupportedCharacter: {
    errorCode: "None",
    template:
      "{entry} {id} was not synchronized: {col} holds the unsupported character '{character}' ({codePoint}); turn on handleSpecialCharacterConstraint to replace it with _",
    source:
      "kit (UNCONFIRMED, sds-csv §2; names allow letters, digits, space and .,'-_()& only, failing with None, sds-csv §10 [D ERR], unless handleSpecialCharacterConstraint is true, when SDS substitutes _)",
  },
} as const satisfies Record<string, { errorCode: string; template: string; source: RuleSource }>;

type SyncRuleName = keyof typeof syncRules;

const entryTypes: Readonly<Record<EntityKind, SyncErrorRecord["entryType"]>> = {
  school: "School",
  section: "Section",
  student: "Student",
  teacher: "Teacher",
};

/** The columns whose characters are checked, per record kind, in the order they are checked. */
const nameColumns: Readonly<Record<EntityKind, readonly string[]>> = {
  school: ["Name"],
  section: ["Section Name"],
  student: ["First Name", "Middle Name", "Last Name"],
  teacher: ["First Name", "Middle Name", "Last Name"],
};

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

/**
 * The sync of a verified roster: each school, section, student and teacher row, in file order, is
 * a record; a record that breaks one of `syncRules` fails with a sync error (one per record, the
 * first rule it breaks). At `quarantineAt` errors the sync stops: the profile is quarantined.
 * Deterministic: the same roster and options give the same errors.
 */
export function syncRoster(roster: Roster, options: SyncRosterOptions): SyncRosterResult {
  const recordedDateTime = options.at.toISOString();
  const replaceUnsupported = options.handleSpecialCharacterConstraint === true;
  const limit = options.quarantineAt ?? quarantineErrorLimit;
  const definitions = rosterFiles(roster.dialect);
  const errors: SyncErrorRecord[] = [];
  let processed = 0;

  const schoolDefinition = definitions[entityFiles.school];
  const schoolTable = roster.tables[schoolDefinition.name];
  const schoolKeyIndex = schoolTable.header.indexOf(schoolDefinition.key);
  const schools = new Set(schoolTable.rows.map((row) => row[schoolKeyIndex] ?? ""));

  for (const kind of ["school", "section", "student", "teacher"] as const) {
    const definition = definitions[entityFiles[kind]];
    const table = roster.tables[definition.name];
    const at = (column: string) => table.header.indexOf(column);
    const keyIndex = at(definition.key);
    const usernameIndex = at("Username");
    const schoolReference = definition.references.find((rule) => rule.checkedAt === "sync");
    const schoolIndex = schoolReference ? at(schoolReference.column) : -1;
    const nameIndexes = nameColumns[kind]
      .map((column) => [column, at(column)] as const)
      .filter(([, index]) => index >= 0);
    const uniqueIndexes = [definition.key, "Username"]
      .map((column) => [column, at(column)] as const)
      .filter(([, index]) => index >= 0);
    const seen = uniqueIndexes.map(() => new Set<string>());
    const entryType = entryTypes[kind];
    const isPerson = kind === "student" || kind === "teacher";
    const domain = isPerson ? options.domains?.[kind] : undefined;

    for (const row of table.rows) {
      if (errors.length >= limit) return { processed, errors, quarantined: true };
      processed += 1;
      const id = row[keyIndex] ?? "";
      const fail = (rule: SyncRuleName, values: Record<string, string> = {}) =>
        errors.push({
          entryType,
          errorCode: syncRules[rule].errorCode,
          errorMessage: fill(syncRules[rule].template, { entry: entryType, id, ...values }),
          joiningValue: isPerson ? joiningValueOf(row[usernameIndex] ?? "", id, domain) : id,
          reportableIdentifier: reportableIdentifier(kind, row, usernameIndex, nameIndexes),
          recordedDateTime,
        });

      let repeated: readonly [string, string] | undefined;
      uniqueIndexes.forEach(([column, index], position) => {
        const value = row[index] ?? "";
        const values = seen[position];
        if (value.trim() === "" || !values) return;
        if (values.has(value)) repeated ??= [column, value];
        else values.add(value);
      });
      if (repeated) {
        const [col, value] = repeated;
        if (isPerson && col === definition.key) fail("duplicatePerson");
        else fail("duplicateRecord", { col, value, file: definition.name });
        continue;
      }
      const school = schoolIndex >= 0 ? (row[schoolIndex] ?? "") : undefined;
      if (school !== undefined && school.trim() !== "" && !schools.has(school)) {
        fail("unknownSchool", { school, col: schoolReference?.column ?? "" });
        continue;
      }
      if (kind === "section" && mailNicknameUnfit.test(id)) {
        fail("unfitMailNickname");
        continue;
      }
      if (replaceUnsupported) continue;
      for (const [col, index] of nameIndexes) {
        const character = unsupportedNameCharacter.exec(row[index] ?? "")?.[0];
        if (character === undefined) continue;
        const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
        fail("unsupportedCharacter", { col, character, codePoint });
        break;
      }
    }
  }
  return { processed, errors, quarantined: errors.length >= limit };
}

/** A person's matching key: the Username with the role's domain, unless it carries one (or none is known). */
function joiningValueOf(username: string, id: string, domain: string | undefined): string {
  if (username.trim() === "") return id;
  if (username.includes("@") || domain === undefined) return username;
  return `${username}@${domain}`;
}

function reportableIdentifier(
  kind: EntityKind,
  row: readonly string[],
  usernameIndex: number,
  nameIndexes: readonly (readonly [string, number])[],
): string {
  const username = usernameIndex >= 0 ? (row[usernameIndex] ?? "") : "";
  if (username.trim() !== "") return username;
  // A person without a Username (only possible if the roster skipped verification) is named in full.
  const parts = nameIndexes.map(([, index]) => row[index] ?? "").filter((part) => part.trim() !== "");
  return kind === "student" || kind === "teacher" ? parts.join(" ") : (parts[0] ?? "");
}
