import type { ProfileState, SyncStatus } from "../../lifecycle/vocabulary.js";
import type { ProfileRef } from "./vocabulary.js";

export type ProviderKind = "csv" | "powerSchool" | "oneRoster";

/** One profile an interaction needs, and why. */
export interface ProfileSeed {
  /** The consumer's id; undefined for an id the provider chooses. */
  id?: string;
  /** The names the profile's id is handed back under, for `fromProviderState`. */
  handBackAs: string[];
  state: ProfileState;
  status?: SyncStatus;
  errors?: number;
  scenario?: string;
  provider: ProviderKind;
  displayName?: string;
  /** CSV files to put in the profile's container (`valid`, or a break of the CSV fixtures), for a start to verify. */
  files?: string;
  /** The rule that made the profile exist. */
  existsBecause: string;
  /** The rule that decided each field, by field. */
  decidedBy: Partial<Record<Assignable, string>>;
}

/** The profiles an interaction needs, as they are worked out. */
export interface SeedList {
  profiles: ProfileSeed[];
}

export type Assignable = "state" | "status" | "errors" | "scenario" | "provider" | "displayName" | "files";

/** Stops the plan, saying why: a SetupError naming the interaction. */
export type Fail = (why: string) => never;

/** Which rule decided what about a profile, grouped by rule: for messages and the report. */
export function why(seed: ProfileSeed): string {
  const byRule = new Map<string, string[]>([[seed.existsBecause, ["exists"]]]);
  for (const [field, rule] of Object.entries(seed.decidedBy)) byRule.set(rule, [...(byRule.get(rule) ?? []), field]);
  return [...byRule].map(([rule, fields]) => `${fields.join(", ")}: ${rule}`).join("; ");
}

/** The seed a reference names, added as a provisioned CSV profile when none does yet. */
export function seedFor(setup: SeedList, ref: ProfileRef, reason: string): ProfileSeed {
  const existing = setup.profiles.find((seed) =>
    "chosen" in ref ? seed.id === ref.chosen : seed.handBackAs.includes(ref.generated),
  );
  if (existing) return existing;
  return addSeed(setup, reason, {
    ...("chosen" in ref ? { id: ref.chosen } : {}),
    handBackAs: "generated" in ref ? [ref.generated] : [],
  });
}

/** Sets a field of a seed, or fails when another rule already set it otherwise. Defaults (a fresh seed's state) give way. */
export function assign<K extends Assignable>(
  seed: ProfileSeed,
  field: K,
  value: NonNullable<ProfileSeed[K]>,
  reason: string,
  fail: Fail,
): void {
  const decided = seed.decidedBy[field];
  if (decided !== undefined && seed[field] !== value)
    fail(`${reason} needs ${field} ${JSON.stringify(value)}, but ${decided} set it to ${JSON.stringify(seed[field])}`);
  seed[field] = value;
  if (decided === undefined) seed.decidedBy[field] = reason;
}

/** A provisioned CSV profile whose id the provider chooses and nobody needs back. */
export function anonymousSeed(setup: SeedList, reason: string): ProfileSeed {
  return addSeed(setup, reason, { handBackAs: [] });
}

/** Adds a seed as every seed starts: a provisioned CSV profile, until a rule says otherwise. */
function addSeed(setup: SeedList, reason: string, naming: Pick<ProfileSeed, "handBackAs" | "id">): ProfileSeed {
  const seed: ProfileSeed = { ...naming, state: "provisioned", provider: "csv", existsBecause: reason, decidedBy: {} };
  setup.profiles.push(seed);
  return seed;
}

/** As many provider-named profiles as it takes for `count` in all. */
export function addUnnamedProfiles(setup: SeedList, count: number, reason: string): void {
  for (let index = setup.profiles.length; index < count; index += 1)
    anonymousSeed(setup, `${reason}: ${count} profiles`);
}

/** The kind of data provider an `@odata.type` names. */
export function providerOf(value: unknown): ProviderKind | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const type = (value as Record<string, unknown>)["@odata.type"];
  if (typeof type !== "string") return undefined;
  const lower = type.toLowerCase();
  if (lower.includes("powerschool")) return "powerSchool";
  if (lower.includes("oneroster")) return "oneRoster";
  if (lower.includes("csv")) return "csv";
  return undefined;
}
