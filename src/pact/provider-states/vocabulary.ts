import {
  isFailedSyncStatus,
  isSyncStatus,
  type ProfileState,
  type SyncStatus,
  syncStatuses,
} from "../../lifecycle/vocabulary.js";

/**
 * The provider-state vocabulary consumer teams can write their pacts in: a small grammar of
 * sentences that the kit sets up on the simulator with no state handlers to write. Each sentence
 * names a profile by id, either **chosen by the consumer** (a GUID in the sentence, or in the
 * state's params under the placeholder's name) or **generated** (a `${name}` placeholder with no
 * param: the simulator picks the id and hands it back under `name`, for `fromProviderState`).
 */

/** How many sync errors a profile whose sync "has sync status error" (or another failure) is seeded with. */
const seededFailedSyncErrors = 14;
/** And one whose sync "is quarantined". */
const seededQuarantineErrors = 35;

/** A profile the sentence refers to: by the consumer's id, or by the name its generated id is handed back under. */
export type ProfileRef = { chosen: string } | { generated: string };

/** What one sentence asks of the provider. */
export type StateNeed =
  | { kind: "noProfiles" }
  | { kind: "profileCount"; count: number }
  | {
      kind: "profile";
      profile: ProfileRef;
      state: ProfileState;
      status?: SyncStatus;
      errors?: number;
      /** The simulator scenario the sentence implies (`verification-errors`). */
      scenario?: string;
    }
  | { kind: "absent"; profile: ProfileRef }
  | { kind: "throttling"; retryAfterSeconds: number };

type Params = Record<string, unknown>;

export interface VocabularyEntry {
  /** The sentence, as the documentation shows it: `{id}`, `{count}`, `{errors}`, `{status}` are its parameters. */
  sentence: string;
  /** What it sets up, in words, for the documentation's table. */
  setsUp: string;
  /** A sentence a pact may carry, for the documentation and the tests. */
  example: string;
  /** Reads a matched sentence (its parameter values, by name) and the state's params. */
  need(values: Record<string, string>, params: Params): StateNeed;
}

const profileNoun = "(?:a |the )?(?:synchronization )?profile(?: with id)?";
const guid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const placeholder = "\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}";

/** A profile reference from the sentence's id and the params: a param of the placeholder's name chooses the id. */
function profileRef(token: string, params: Params): ProfileRef {
  const name = /^\$\{(.+)\}$/.exec(token)?.[1];
  if (name === undefined) return { chosen: token.toLowerCase() };
  const given = params[name];
  if (typeof given === "string" && new RegExp(`^${guid}$`).test(given)) return { chosen: given.toLowerCase() };
  if (given !== undefined)
    throw new VocabularyError(`the param '${name}' must be a GUID (the profile's id), got ${JSON.stringify(given)}`);
  return { generated: name };
}

/** A whole-number parameter: from the sentence, or from the params when the sentence holds a placeholder. */
function numberOf(token: string, params: Params, what: string): number {
  const name = /^\$\{(.+)\}$/.exec(token)?.[1];
  const raw = name === undefined ? token : params[name];
  const value = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 1000)
    throw new VocabularyError(`${what} must be a whole number from 0 to 1000, got ${JSON.stringify(raw)}`);
  return value;
}

export class VocabularyError extends Error {
  override name = "VocabularyError";
}

const profileState =
  (state: ProfileState) =>
  (values: Record<string, string>, params: Params): StateNeed => ({
    kind: "profile",
    profile: profileRef(values.id ?? "", params),
    state,
  });
const syncOf =
  (status: SyncStatus, extra: { errors?: number; scenario?: string } = {}) =>
  (values: Record<string, string>, params: Params): StateNeed => ({
    kind: "profile",
    profile: profileRef(values.id ?? "", params),
    state: "provisioned",
    status,
    ...extra,
  });

export const vocabulary: readonly VocabularyEntry[] = [
  {
    sentence: "no synchronization profiles exist",
    setsUp: "an empty tenant",
    example: "no synchronization profiles exist",
    need: () => ({ kind: "noProfiles" }),
  },
  {
    sentence: "{count} synchronization profiles exist",
    setsUp: "that many provisioned CSV profiles, ids generated",
    example: "3 synchronization profiles exist",
    need: (values, params) => ({ kind: "profileCount", count: numberOf(values.count ?? "", params, "the count") }),
  },
  {
    sentence: "a synchronization profile with id {id} exists",
    setsUp: "a provisioned CSV profile with that id",
    example: "a synchronization profile with id 5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19 exists",
    need: profileState("provisioned"),
  },
  {
    sentence: "a synchronization profile with id {id} is provisioning",
    setsUp: "a profile still provisioning",
    example: "a synchronization profile with id ${id} is provisioning",
    need: profileState("provisioning"),
  },
  {
    sentence: "a synchronization profile with id {id} is provisioned",
    setsUp: "a provisioned CSV profile that has not synced",
    example: "a synchronization profile with id ${id} is provisioned",
    need: profileState("provisioned"),
  },
  {
    sentence: "a synchronization profile with id {id} failed provisioning",
    setsUp: "a profile in provisioningFailed",
    example: "a synchronization profile with id ${id} failed provisioning",
    need: profileState("provisioningFailed"),
  },
  {
    sentence: "a synchronization profile with id {id} is being deleted",
    setsUp: "a profile in deleting",
    example: "a synchronization profile with id ${id} is being deleted",
    need: profileState("deleting"),
  },
  {
    sentence: "a synchronization profile with id {id} failed deletion",
    setsUp: "a profile in deletionFailed",
    example: "a synchronization profile with id ${id} failed deletion",
    need: profileState("deletionFailed"),
  },
  {
    sentence: "a synchronization profile with id {id} has sync status {status}",
    setsUp: "a provisioned profile whose sync is in that status (errors recorded for a failed one)",
    example: "a synchronization profile with id ${id} has sync status ${status}",
    need: (values, params) => {
      const name = /^\$\{(.+)\}$/.exec(values.status ?? "")?.[1];
      const status = name === undefined ? values.status : params[name];
      if (!isSyncStatus(status))
        throw new VocabularyError(
          `the sync status must be one of ${syncStatuses.join(", ")}, got ${JSON.stringify(status)}`,
        );
      // A failed sync recorded errors: a number of them, as the admin API seeds one.
      return syncOf(status, isFailedSyncStatus(status) ? { errors: seededFailedSyncErrors } : {})(values, params);
    },
  },
  {
    sentence: "the sync of synchronization profile {id} is paused",
    setsUp: "a provisioned profile whose sync ran and was paused",
    example: "the sync of synchronization profile ${id} is paused",
    need: syncOf("paused"),
  },
  {
    sentence: "the sync of synchronization profile {id} is running",
    setsUp: "a provisioned profile whose sync is in progress",
    example: "the sync of synchronization profile 5f0c3a4e-9b1d-4c2e-8f7a-6d5e4c3b2a19 is running",
    need: syncOf("inProgress"),
  },
  {
    sentence: "the sync of synchronization profile {id} succeeded",
    setsUp: "a provisioned profile whose last sync succeeded",
    example: "the sync of synchronization profile ${id} succeeded",
    need: syncOf("success"),
  },
  {
    sentence: "the sync of synchronization profile {id} failed with {errors} errors",
    setsUp: "a provisioned profile whose last sync ended in error, with that many sync errors recorded",
    example: "the sync of synchronization profile ${id} failed with 3 errors",
    need: (values, params) =>
      syncOf("error", { errors: numberOf(values.errors ?? "", params, "the error count") })(values, params),
  },
  {
    sentence: "the sync of synchronization profile {id} found verification errors",
    setsUp: "a provisioned CSV profile whose files fail verification: start answers 400 with the messages",
    example: "the sync of synchronization profile ${id} found verification errors",
    need: (values, params) => ({
      kind: "profile",
      profile: profileRef(values.id ?? "", params),
      state: "provisioned",
      scenario: "verification-errors",
    }),
  },
  {
    sentence: "a synchronization profile with id {id} has files with verification errors",
    setsUp: "the same, in the kit's earlier wording",
    example: "a synchronization profile with id ${id} has files with verification errors",
    need: (values, params) => ({
      kind: "profile",
      profile: profileRef(values.id ?? "", params),
      state: "provisioned",
      scenario: "verification-errors",
    }),
  },
  {
    sentence: "the sync of synchronization profile {id} is quarantined",
    setsUp: `a provisioned profile whose sync was quarantined, with ${seededQuarantineErrors} sync errors recorded`,
    example: "the sync of synchronization profile ${id} is quarantined",
    need: syncOf("quarantined", { errors: seededQuarantineErrors }),
  },
  {
    sentence: "no synchronization profile with id {id} exists",
    setsUp: "nothing with that id: requests for it answer 404",
    example: "no synchronization profile with id 00000000-0000-4000-8000-000000000000 exists",
    need: (values, params) => ({ kind: "absent", profile: profileRef(values.id ?? "", params) }),
  },
  {
    sentence: "the service is throttling requests",
    setsUp: "the next request answers 429 with Retry-After: 2",
    example: "the service is throttling requests",
    need: () => ({ kind: "throttling", retryAfterSeconds: 2 }),
  },
];

const compiled = vocabulary.map((entry) => {
  const names: string[] = [];
  const source = entry.sentence
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/^a synchronization profile with id \{id\}/, () => {
      names.push("id");
      return `${profileNoun} (${guid}|${placeholder})`;
    })
    .replace(/synchronization profile \{id\}/, () => {
      names.push("id");
      return `(?:synchronization )?profile (${guid}|${placeholder})`;
    })
    .replace(/\{(id|count|errors|status)\}/g, (_m, name: string) => {
      names.push(name);
      if (name === "id") return `(${guid}|${placeholder})`;
      if (name === "status") return `([A-Za-z]+|${placeholder})`;
      return `(\\d+|${placeholder})`;
    })
    .replace(/^no synchronization profiles/, "no (?:synchronization )?profiles")
    .replace(/ synchronization profiles exist$/, " (?:synchronization )?profiles exist");
  return { entry, names, pattern: new RegExp(`^${source}$`, "i") };
});

/** The need a state sentence expresses, or undefined when it is not in the vocabulary. Throws a VocabularyError for a bad parameter. */
export function readStateSentence(name: string, params: Params = {}): StateNeed | undefined {
  const sentence = name.trim().replace(/\s+/g, " ");
  for (const { entry, names, pattern } of compiled) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const values = Object.fromEntries(names.map((n, index) => [n, match[index + 1] ?? ""]));
    return entry.need(values, params);
  }
  return undefined;
}
