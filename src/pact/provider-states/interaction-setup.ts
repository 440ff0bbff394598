import { matchRoute } from "../../spec/match-route.js";
import type { PactInteraction } from "../pact-file.js";
import {
  type ProfileRef,
  type ProfileStateName,
  readStateSentence,
  type StateNeed,
  type SyncStatusName,
  VocabularyError,
} from "./vocabulary.js";

export type ProviderKind = "csv" | "powerSchool" | "oneRoster";

/** One profile an interaction needs, and why. */
export interface ProfileSeed {
  /** The consumer's id; undefined for an id the provider chooses. */
  id?: string;
  /** The names the profile's id is handed back under, for `fromProviderState`. */
  handBackAs: string[];
  state: ProfileStateName;
  status?: SyncStatusName;
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

/** Everything one interaction needs set up before its request is sent. */
export interface InteractionSetup {
  interaction: string;
  profiles: ProfileSeed[];
  /** Ids that must not exist. */
  absent: string[];
  /** Names to hand back a fresh id under, one no profile has (a state's generated id that must not exist). */
  absentHandBack: string[];
  /** Arm a 429 with this Retry-After for the next request. */
  throttleSeconds?: number;
  /** One line per rule that decided something, for the verification report. */
  notes: string[];
}

/** An interaction the kit cannot set up: its states and its expectations contradict each other, or a state is unknown. */
export class SetupError extends Error {
  override name = "SetupError";
}

export interface PlanOptions {
  /** Read what each interaction needs from its request and expected response too (default true). */
  infer?: boolean;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const failedStatuses: readonly string[] = ["error", "validationError", "quarantined"];
const knownStatuses: readonly string[] = [
  "paused",
  "inProgress",
  "success",
  "error",
  "validationError",
  "quarantined",
  "extracting",
  "validating",
];
const knownStates: readonly string[] = [
  "provisioning",
  "provisioned",
  "provisioningFailed",
  "deleting",
  "deletionFailed",
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * What an interaction needs set up: first its provider states, read through the vocabulary; then,
 * unless `infer` is off, what its request and expected response imply (a GUID in a path answered
 * 2xx is a profile that exists, an expected `state` or `status` is the profile's, an action
 * expected to succeed needs a state the lifecycle allows it in, a 404 needs the id absent, a 429 a
 * throttle). A need that contradicts another is a SetupError that says which and why.
 */
export function planInteractionSetup(interaction: PactInteraction, options: PlanOptions = {}): InteractionSetup {
  const infer = options.infer ?? true;
  const setup: InteractionSetup = {
    interaction: interaction.description,
    profiles: [],
    absent: [],
    absentHandBack: [],
    notes: [],
  };
  const fail = (why: string): never => {
    throw new SetupError(`interaction "${interaction.description}": ${why}`);
  };
  let noProfiles = false;
  let profileCount: number | undefined;

  // ---- provider states, through the vocabulary
  for (const { name, params } of interaction.providerStates) {
    let need: StateNeed | undefined;
    try {
      need = readStateSentence(name, params);
    } catch (error) {
      if (error instanceof VocabularyError) fail(`the state "${name}": ${error.message}`);
      throw error;
    }
    if (need === undefined) {
      if (!infer)
        fail(
          `the state "${name}" is not a sentence of the kit's vocabulary (contracts/README.md#provider-states), and inference is off`,
        );
      setup.notes.push(`the state "${name}" is not in the vocabulary: what it needs is read from the interaction`);
      continue;
    }
    const from = `the state "${name}"`;
    switch (need.kind) {
      case "noProfiles":
        noProfiles = true;
        setup.notes.push(`${from}: no profiles`);
        break;
      case "profileCount":
        profileCount = need.count;
        setup.notes.push(`${from}: ${need.count} profiles`);
        break;
      case "throttling":
        setup.throttleSeconds = need.retryAfterSeconds;
        setup.notes.push(`${from}: the next request answers 429`);
        break;
      case "absent":
        if ("chosen" in need.profile) setup.absent.push(need.profile.chosen);
        else setup.absentHandBack.push(need.profile.generated);
        setup.notes.push(`${from}: no profile ${"chosen" in need.profile ? need.profile.chosen : "with that id"}`);
        break;
      case "profile": {
        const seed = seedFor(setup, need.profile, from);
        assign(seed, "state", need.state, from, fail);
        if (need.status !== undefined) assign(seed, "status", need.status, from, fail);
        if (need.errors !== undefined) assign(seed, "errors", need.errors, from, fail);
        if (need.scenario !== undefined) assign(seed, "scenario", need.scenario, from, fail);
        break;
      }
    }
  }

  if (infer) inferFromInteraction(interaction, setup, fail, { noProfiles, profileCount });
  else if (profileCount !== undefined) addUnnamedProfiles(setup, profileCount, "the state");

  for (const seed of setup.profiles) {
    if (seed.status !== undefined && seed.state !== "provisioned")
      fail(`a profile cannot be ${seed.state} and have a sync status (${seed.status}): ${why(seed)}`);
    if ((seed.errors ?? 0) > 0 && seed.status !== undefined && !failedStatuses.includes(seed.status))
      fail(`sync errors are recorded by a failed sync, not by one in ${seed.status}: ${why(seed)}`);
    if (seed.id !== undefined && setup.absent.includes(seed.id))
      fail(`profile ${seed.id} must both exist and not exist: ${why(seed)}`);
    if (noProfiles && seed.existsBecause.startsWith("the state"))
      fail(`"no synchronization profiles exist" and a state that creates a profile cannot both hold`);
  }
  return setup;
}

/** Which rule decided what about a profile, grouped by rule: for messages and the report. */
export function why(seed: ProfileSeed): string {
  const byRule = new Map<string, string[]>([[seed.existsBecause, ["exists"]]]);
  for (const [field, rule] of Object.entries(seed.decidedBy)) byRule.set(rule, [...(byRule.get(rule) ?? []), field]);
  return [...byRule].map(([rule, fields]) => `${fields.join(", ")}: ${rule}`).join("; ");
}

function seedFor(setup: InteractionSetup, ref: ProfileRef, reason: string): ProfileSeed {
  const existing = setup.profiles.find((seed) =>
    "chosen" in ref ? seed.id === ref.chosen : seed.handBackAs.includes(ref.generated),
  );
  if (existing) return existing;
  const seed: ProfileSeed = {
    ...("chosen" in ref ? { id: ref.chosen } : {}),
    handBackAs: "generated" in ref ? [ref.generated] : [],
    state: "provisioned",
    provider: "csv",
    existsBecause: reason,
    decidedBy: {},
  };
  setup.profiles.push(seed);
  return seed;
}

type Assignable = "state" | "status" | "errors" | "scenario" | "provider" | "displayName" | "files";

/** Sets a field of a seed, or fails when another rule already set it otherwise. Defaults (a fresh seed's state) give way. */
function assign<K extends Assignable>(
  seed: ProfileSeed,
  field: K,
  value: NonNullable<ProfileSeed[K]>,
  reason: string,
  fail: (why: string) => never,
): void {
  const decided = seed.decidedBy[field];
  if (decided !== undefined && seed[field] !== value)
    fail(`${reason} needs ${field} ${JSON.stringify(value)}, but ${decided} set it to ${JSON.stringify(seed[field])}`);
  seed[field] = value;
  if (decided === undefined) seed.decidedBy[field] = reason;
}

/** A provisioned CSV profile whose id the provider chooses and nobody needs back. */
function anonymousSeed(setup: InteractionSetup, reason: string): ProfileSeed {
  const seed: ProfileSeed = {
    handBackAs: [],
    state: "provisioned",
    provider: "csv",
    existsBecause: reason,
    decidedBy: {},
  };
  setup.profiles.push(seed);
  return seed;
}

function addUnnamedProfiles(setup: InteractionSetup, count: number, reason: string) {
  for (let index = setup.profiles.length; index < count; index += 1)
    anonymousSeed(setup, `${reason}: ${count} profiles`);
}

function providerOf(value: unknown): ProviderKind | undefined {
  if (!isObject(value) || typeof value["@odata.type"] !== "string") return undefined;
  const type = value["@odata.type"].toLowerCase();
  if (type.includes("powerschool")) return "powerSchool";
  if (type.includes("oneroster")) return "oneRoster";
  if (type.includes("csv")) return "csv";
  return undefined;
}

function inferFromInteraction(
  interaction: PactInteraction,
  setup: InteractionSetup,
  fail: (why: string) => never,
  states: { noProfiles: boolean; profileCount: number | undefined },
): void {
  const { request, response } = interaction;
  const status = response.status;
  const ok = status >= 200 && status < 300;
  const body = response.body;
  const route = matchRoute(request.method, request.path);
  if (status === 429 && setup.throttleSeconds === undefined) {
    setup.throttleSeconds = 2;
    setup.notes.push("expects 429: the next request is throttled");
  }
  if (status !== 429 && setup.throttleSeconds !== undefined)
    fail(`a state throttles the next request, but the interaction expects ${status}, not 429`);
  if (route.kind !== "operation") return;
  const operationId = route.operation.operationId;
  const because = (what: string) => `${request.method} ${request.path} expects ${status}${what ? `, ${what}` : ""}`;

  // ---- the profile the request is about: the path's id (or the PUT body's), or the generated one it names
  const boundName = request.pathExpression ? /\$\{([^}]+)\}/.exec(request.pathExpression)?.[1] : undefined;
  const pathId = route.pathParams.id?.toLowerCase();
  const bodyId =
    operationId === "replaceSynchronizationProfile" && isObject(request.body) && typeof request.body.id === "string"
      ? request.body.id.toLowerCase()
      : undefined;
  const id = pathId ?? bodyId;
  const targetRef = (): ProfileRef | undefined => {
    if (boundName !== undefined) {
      const bound = setup.profiles.find((seed) => seed.handBackAs.includes(boundName));
      if (bound) return { generated: boundName };
      // The path names a value no state hands back: the path's example id becomes the profile's, handed back too.
      if (id && guid.test(id)) return { chosen: id };
      return { generated: boundName };
    }
    return id && guid.test(id) ? { chosen: id } : undefined;
  };
  const ref = targetRef();
  const target = () => {
    if (!ref) return undefined;
    const seed = seedFor(setup, ref, because(""));
    if (boundName !== undefined && !seed.handBackAs.includes(boundName)) seed.handBackAs.push(boundName);
    return seed;
  };

  if (status === 404 && ref) {
    if ("chosen" in ref) {
      if (!setup.absent.includes(ref.chosen)) setup.absent.push(ref.chosen);
      setup.notes.push(`${because("")}: profile ${ref.chosen} must not exist`);
    }
    return;
  }

  if (operationId === "listSynchronizationProfiles" && ok && isObject(body) && Array.isArray(body.value)) {
    const items = body.value.filter(isObject);
    if (states.profileCount !== undefined && states.profileCount < items.length)
      fail(`the state sets up ${states.profileCount} profiles, but the expected page lists ${items.length}`);
    if (states.noProfiles && items.length > 0)
      fail(`"no synchronization profiles exist", but the expected page lists ${items.length}`);
    for (const item of items) {
      const itemId = typeof item.id === "string" && guid.test(item.id) ? item.id.toLowerCase() : undefined;
      const seed = itemId
        ? seedFor(setup, { chosen: itemId }, because("a listed profile"))
        : anonymousSeed(setup, because("a listed profile"));
      applyProfileBody(seed, item, because("the listed profile's"), fail);
    }
    if (states.profileCount !== undefined) addUnnamedProfiles(setup, states.profileCount, "the state");
    setup.notes.push(`${because("")}: ${Math.max(items.length, states.profileCount ?? 0)} profile(s) listed`);
    return;
  }
  if (states.profileCount !== undefined) addUnnamedProfiles(setup, states.profileCount, "the state");

  const seed = ok || status === 409 || (status === 400 && isStartOrUpload(operationId)) ? target() : undefined;
  if (!seed) return;

  if (status === 409) {
    const state: ProfileStateName = [
      "replaceSynchronizationProfile",
      "updateSynchronizationProfile",
      "deleteSynchronizationProfile",
    ].includes(operationId)
      ? "deleting"
      : "provisioning";
    assign(seed, "state", state, because("a conflict with the profile's state"), fail);
    return;
  }
  if (status === 400 && isStartOrUpload(operationId)) {
    const messages = isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : undefined;
    if (operationId === "startSynchronizationProfile" && messages) {
      assign(seed, "scenario", "verification-errors", because("verification messages"), fail);
    } else if (isObject(body) && isObject(body.error) && body.error.code === "notSupported") {
      assign(seed, "provider", "powerSchool", because("notSupported: not a CSV profile"), fail);
    }
    return;
  }

  switch (operationId) {
    case "getSynchronizationProfile":
      if (isObject(body)) applyProfileBody(seed, body, because("the profile's"), fail);
      break;
    case "replaceSynchronizationProfile":
      // The answer shows the profile after the update (provisioning again), not before it.
      if (isObject(body)) applyProfileBody(seed, { ...body, state: undefined }, because("the profile's"), fail);
      break;
    case "getSynchronizationProfileStatus":
      if (isObject(body)) {
        if (typeof body.status === "string" && knownStatuses.includes(body.status))
          assign(seed, "status", body.status as SyncStatusName, because(`status ${body.status}`), fail);
        // What a client that does not opt in sees while the sync extracts (decisions.md#evolvable-members).
        if (body.status === "unknownFutureValue")
          assign(seed, "status", "extracting", because("unknownFutureValue, which stands in for extracting"), fail);
        if (typeof body.errorCount === "number" && body.errorCount > 0) {
          if (seed.status === undefined) assign(seed, "status", "error", because("recorded errors"), fail);
          assign(seed, "errors", body.errorCount, because(`errorCount ${body.errorCount}`), fail);
        }
      }
      break;
    case "listSynchronizationErrors":
      if (isObject(body) && Array.isArray(body.value) && body.value.length > 0) {
        const count = Math.max(body.value.length, typeof body["@odata.count"] === "number" ? body["@odata.count"] : 0);
        if (seed.status === undefined) assign(seed, "status", "error", because("sync errors listed"), fail);
        if (seed.errors === undefined || seed.errors < count)
          assign(seed, "errors", seed.errors ?? count, because(`${count} sync errors listed`), fail);
      }
      break;
    case "pauseSynchronizationProfile":
      if (seed.status === undefined) assign(seed, "status", "inProgress", because("a sync to pause"), fail);
      break;
    case "resumeSynchronizationProfile":
      if (seed.status === undefined) assign(seed, "status", "paused", because("a paused sync to resume"), fail);
      break;
    case "startSynchronizationProfile": {
      assign(seed, "provider", "csv", because("start is for CSV profiles"), fail);
      const messages = isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : [];
      if (messages.some((m) => String(m.type).toLowerCase() === "error"))
        assign(seed, "scenario", "verification-errors", because("verification errors"), fail);
      else if (messages.length > 0)
        assign(seed, "scenario", "verification-warnings", because("verification warnings"), fail);
      // Where uploads are real, start verifies the files: a clean start needs a clean set uploaded.
      if (seed.files === undefined && seed.scenario === undefined)
        assign(seed, "files", "valid", because("files that verify cleanly"), fail);
      break;
    }
    case "getSynchronizationProfileUploadUrl":
      assign(seed, "provider", "csv", because("uploadUrl is for CSV profiles"), fail);
      break;
    default:
      break;
  }
  if (seed.status !== undefined && seed.decidedBy.state === undefined)
    assign(seed, "state", "provisioned", because("a sync needs a provisioned profile"), fail);
}

const isStartOrUpload = (operationId: string) =>
  operationId === "startSynchronizationProfile" || operationId === "getSynchronizationProfileUploadUrl";

/** A profile as the expected response shows it: its state, provider and name. */
function applyProfileBody(seed: ProfileSeed, body: Json, reason: string, fail: (why: string) => never): void {
  if (typeof body.state === "string" && knownStates.includes(body.state))
    assign(seed, "state", body.state as ProfileStateName, `${reason} state`, fail);
  const provider = providerOf(body.dataProvider);
  if (provider) assign(seed, "provider", provider, `${reason} data provider`, fail);
  if (typeof body.displayName === "string" && body.displayName.length > 0)
    assign(seed, "displayName", body.displayName, `${reason} display name`, fail);
}
