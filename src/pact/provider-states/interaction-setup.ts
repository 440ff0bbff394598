import { isFailedSyncStatus } from "../../lifecycle/vocabulary.js";
import type { PactInteraction } from "../pact-file.js";
import { inferFromInteraction } from "./infer-from-interaction.js";
import { addUnnamedProfiles, assign, type ProfileSeed, seedFor, why } from "./profile-seeds.js";
import { readStateSentence, type StateNeed, VocabularyError } from "./vocabulary.js";

export { type ProfileSeed, type ProviderKind, why } from "./profile-seeds.js";

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
    if ((seed.errors ?? 0) > 0 && seed.status !== undefined && !isFailedSyncStatus(seed.status))
      fail(`sync errors are recorded by a failed sync, not by one in ${seed.status}: ${why(seed)}`);
    if (seed.id !== undefined && setup.absent.includes(seed.id))
      fail(`profile ${seed.id} must both exist and not exist: ${why(seed)}`);
    if (noProfiles && seed.existsBecause.startsWith("the state"))
      fail(`"no synchronization profiles exist" and a state that creates a profile cannot both hold`);
  }
  return setup;
}
