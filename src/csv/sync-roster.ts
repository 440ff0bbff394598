import { type EntityKind, entityFiles, type RuleSource, rosterFiles } from "./roster-files.js";
import type { Roster } from "./verify-roster.js";

/** One `educationSynchronizationError`, as `GET …/errors` lists it (without the id the store adds). */
export interface SyncErrorRecord {
  entryType: "School" | "Section" | "Student" | "Teacher";
  errorCode: string;
  errorMessage: string;
  /** The record's SIS ID. */
  joiningValue: string;
  /** The record's Username where it has one, else its name. */
  reportableIdentifier: string;
  recordedDateTime: string;
}

export interface SyncRosterOptions {
  /** The profile's `handleSpecialCharacterConstraint`: true replaces unsupported characters instead of failing. */
  handleSpecialCharacterConstraint?: boolean | null;
  /** When the errors are recorded. */
  at: Date;
}

export interface SyncRosterResult {
  /** School, section, student and teacher rows read. */
  processed: number;
  errors: SyncErrorRecord[];
}

/**
 * Characters a name may hold without `handleSpecialCharacterConstraint`: letters (with their
 * combining marks, so a decomposed é is a letter too), digits, space and `.,'-_()&`.
 */
const unsupportedNameCharacter = /[^\p{L}\p{M}\p{Nd} .,'\-_()&]/u;

/** When a record fails to sync, and with what: the kit's rules, each with its source. */
export const syncRules = {
  duplicateRecord: {
    errorCode: "None",
    template: "{entry} {id} was not synchronized: its {col} {value} is already used by an earlier row of {file}",
    source:
      "kit (not documented; records beyond the first with a repeated SIS ID or Username fail, with None, the nearest documented code: duplicate or invalid characters in a section/student name, sds-csv §10 [D ERR])",
  },
  unsupportedCharacter: {
    errorCode: "None",
    template:
      "{entry} {id} was not synchronized: {col} holds the unsupported character '{character}' ({codePoint}); turn on handleSpecialCharacterConstraint to replace it with _",
    source:
      "kit (UNCONFIRMED, sds-csv §2; names allow letters, digits, space and .,'-_()& only, failing with None, sds-csv §10 [D ERR], unless handleSpecialCharacterConstraint is true, when SDS substitutes _)",
  },
} as const satisfies Record<string, { errorCode: string; template: string; source: RuleSource }>;

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
 * first rule it breaks). Deterministic: the same roster and options give the same errors.
 */
export function syncRoster(roster: Roster, options: SyncRosterOptions): SyncRosterResult {
  const recordedDateTime = options.at.toISOString();
  const replaceUnsupported = options.handleSpecialCharacterConstraint === true;
  const definitions = rosterFiles(roster.dialect);
  const errors: SyncErrorRecord[] = [];
  let processed = 0;

  for (const kind of ["school", "section", "student", "teacher"] as const) {
    const definition = definitions[entityFiles[kind]];
    const table = roster.tables[definition.name];
    const at = (column: string) => table.header.indexOf(column);
    const keyIndex = at(definition.key);
    const usernameIndex = at("Username");
    const nameIndexes = nameColumns[kind]
      .map((column) => [column, at(column)] as const)
      .filter(([, index]) => index >= 0);
    const uniqueIndexes = [definition.key, "Username"]
      .map((column) => [column, at(column)] as const)
      .filter(([, index]) => index >= 0);
    const seen = uniqueIndexes.map(() => new Set<string>());
    const entryType = entryTypes[kind];

    for (const row of table.rows) {
      processed += 1;
      const id = row[keyIndex] ?? "";
      const fail = (template: string, values: Record<string, string>) =>
        errors.push({
          entryType,
          errorCode: "None",
          errorMessage: fill(template, { entry: entryType, id, ...values }),
          joiningValue: id,
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
        fail(syncRules.duplicateRecord.template, { col, value, file: definition.name });
        continue;
      }
      if (replaceUnsupported) continue;
      for (const [col, index] of nameIndexes) {
        const character = unsupportedNameCharacter.exec(row[index] ?? "")?.[0];
        if (character === undefined) continue;
        const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
        fail(syncRules.unsupportedCharacter.template, { col, character, codePoint });
        break;
      }
    }
  }
  return { processed, errors };
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
