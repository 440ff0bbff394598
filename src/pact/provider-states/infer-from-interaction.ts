import type { OperationId } from "../../../generated/route-table.js";
import { operationLifecycle } from "../../lifecycle/operation-lifecycle.js";
import { isProfileState, isSyncStatus } from "../../lifecycle/vocabulary.js";
import { matchRoute } from "../../spec/match-route.js";
import type { PactInteraction } from "../pact-file.js";
import {
  addUnnamedProfiles,
  anonymousSeed,
  assign,
  type Fail,
  type ProfileSeed,
  providerOf,
  type SeedList,
  seedFor,
} from "./profile-seeds.js";
import type { ProfileRef } from "./vocabulary.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the interaction's provider states set up, which its expectations must agree with. */
export interface StatedSetup extends SeedList {
  absent: string[];
  throttleSeconds?: number;
  notes: string[];
}

/** Says why a rule decided something: `GET /x expects 200, the profile's state`. */
type Because = (what: string) => string;

/** A profile as an expected response shows it: its state, provider and name. */
function applyProfileBody(seed: ProfileSeed, body: Json, reason: string, fail: Fail): void {
  if (isProfileState(body.state)) assign(seed, "state", body.state, `${reason} state`, fail);
  const provider = providerOf(body.dataProvider);
  if (provider) assign(seed, "provider", provider, `${reason} data provider`, fail);
  if (typeof body.displayName === "string" && body.displayName.length > 0)
    assign(seed, "displayName", body.displayName, `${reason} display name`, fail);
}

/** Verification messages in an answer to start. */
const messagesOf = (body: unknown): Json[] =>
  isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : [];

/**
 * What an expected 2xx body says of the profile the request names, by operation. The others'
 * bodies say nothing of it: a list's is read apart (it names several profiles), create's is a
 * profile that does not exist yet, and the actions answer without one.
 */
const bodyImplies: Partial<
  Record<OperationId, (seed: ProfileSeed, body: unknown, because: Because, fail: Fail) => void>
> = {
  getSynchronizationProfile(seed, body, because, fail) {
    if (isObject(body)) applyProfileBody(seed, body, because("the profile's"), fail);
  },
  replaceSynchronizationProfile(seed, body, because, fail) {
    // The answer shows the profile after the update (provisioning again), not before it.
    if (isObject(body)) applyProfileBody(seed, { ...body, state: undefined }, because("the profile's"), fail);
  },
  getSynchronizationProfileStatus(seed, body, because, fail) {
    if (!isObject(body)) return;
    if (isSyncStatus(body.status)) assign(seed, "status", body.status, because(`status ${body.status}`), fail);
    // What a client that does not opt in sees while the sync extracts (decisions.md#evolvable-members).
    if (body.status === "unknownFutureValue")
      assign(seed, "status", "extracting", because("unknownFutureValue, which stands in for extracting"), fail);
    if (typeof body.errorCount === "number" && body.errorCount > 0) {
      if (seed.status === undefined) assign(seed, "status", "error", because("recorded errors"), fail);
      assign(seed, "errors", body.errorCount, because(`errorCount ${body.errorCount}`), fail);
    }
  },
  listSynchronizationErrors(seed, body, because, fail) {
    if (!isObject(body) || !Array.isArray(body.value) || body.value.length === 0) return;
    const count = Math.max(body.value.length, typeof body["@odata.count"] === "number" ? body["@odata.count"] : 0);
    if (seed.status === undefined) assign(seed, "status", "error", because("sync errors listed"), fail);
    if (seed.errors === undefined || seed.errors < count)
      assign(seed, "errors", seed.errors ?? count, because(`${count} sync errors listed`), fail);
  },
  startSynchronizationProfile(seed, body, because, fail) {
    const messages = messagesOf(body);
    if (messages.some((m) => String(m.type).toLowerCase() === "error"))
      assign(seed, "scenario", "verification-errors", because("verification errors"), fail);
    else if (messages.length > 0)
      assign(seed, "scenario", "verification-warnings", because("verification warnings"), fail);
    // Where uploads are real, start verifies the files: a clean start needs a clean set uploaded.
    if (seed.files === undefined && seed.scenario === undefined)
      assign(seed, "files", "valid", because("files that verify cleanly"), fail);
  },
};

/**
 * What an expected 400 from a CSV-only operation says: verification messages are files that failed
 * verification; Graph's error envelope is a profile that is no CSV one (decisions.md#csv-only; the
 * kit answered `notSupported` before it took the service's `BadRequest`, and either code will do).
 */
function badRequestImplies(operationId: OperationId, seed: ProfileSeed, body: unknown, because: Because, fail: Fail) {
  if (operationId === "startSynchronizationProfile" && isObject(body) && Array.isArray(body.value)) {
    assign(seed, "scenario", "verification-errors", because("verification messages"), fail);
  } else if (isObject(body) && isObject(body.error)) {
    assign(seed, "provider", "powerSchool", because("an error: not a CSV profile"), fail);
  }
}

/** The profile a request is about: the path's id (or the PUT body's), or the generated one its path expression names. */
function targetOf(interaction: PactInteraction, operationId: OperationId, pathId: string | undefined, setup: SeedList) {
  const { request } = interaction;
  const boundName = request.pathExpression ? /\$\{([^}]+)\}/.exec(request.pathExpression)?.[1] : undefined;
  const bodyId =
    operationId === "replaceSynchronizationProfile" && isObject(request.body) && typeof request.body.id === "string"
      ? request.body.id.toLowerCase()
      : undefined;
  const id = pathId ?? bodyId;
  let ref: ProfileRef | undefined;
  if (boundName !== undefined) {
    // A path naming a value no state hands back: the path's example id becomes the profile's, handed back too.
    const bound = setup.profiles.some((seed) => seed.handBackAs.includes(boundName));
    ref = bound || !(id && guid.test(id)) ? { generated: boundName } : { chosen: id };
  } else if (id && guid.test(id)) ref = { chosen: id };
  return { ref, boundName };
}

/**
 * What an interaction's request and expected response say must be set up, beyond its states: a 429
 * is a throttle, a GUID in a path answered 2xx is a profile that exists (in the state and with the
 * sync the answer shows, or the one the operation needs), a 404 needs the id absent, a 409 a state
 * the operation is refused in. A need that contradicts a state is a SetupError that says which.
 */
export function inferFromInteraction(
  interaction: PactInteraction,
  setup: StatedSetup,
  fail: Fail,
  states: { noProfiles: boolean; profileCount: number | undefined },
): void {
  const { request, response } = interaction;
  const status = response.status;
  const ok = status >= 200 && status < 300;
  const route = matchRoute(request.method, request.path);
  if (status === 429 && setup.throttleSeconds === undefined) {
    setup.throttleSeconds = 2;
    setup.notes.push("expects 429: the next request is throttled");
  }
  if (status !== 429 && setup.throttleSeconds !== undefined)
    fail(`a state throttles the next request, but the interaction expects ${status}, not 429`);
  if (route.kind !== "operation") return;
  const operationId = route.operation.operationId;
  const lifecycle = operationLifecycle[operationId];
  const because: Because = (what) => `${request.method} ${request.path} expects ${status}${what ? `, ${what}` : ""}`;
  const { ref, boundName } = targetOf(interaction, operationId, route.pathParams.id?.toLowerCase(), setup);

  if (status === 404 && ref) {
    if ("chosen" in ref) {
      if (!setup.absent.includes(ref.chosen)) setup.absent.push(ref.chosen);
      setup.notes.push(`${because("")}: profile ${ref.chosen} must not exist`);
    }
    return;
  }
  const body = response.body;
  if (operationId === "listSynchronizationProfiles" && ok && isObject(body) && Array.isArray(body.value)) {
    inferListed(setup, body.value, because, fail, states);
    return;
  }
  if (states.profileCount !== undefined) addUnnamedProfiles(setup, states.profileCount, "the state");

  const concerned = ok || status === 409 || (status === 400 && lifecycle.csvOnly === true);
  if (!ref || !concerned) return;
  const seed = seedFor(setup, ref, because(""));
  if (boundName !== undefined && !seed.handBackAs.includes(boundName)) seed.handBackAs.push(boundName);

  if (status === 409) {
    if (lifecycle.conflictsIn)
      assign(seed, "state", lifecycle.conflictsIn, because("a conflict with the profile's state"), fail);
    return;
  }
  if (status === 400) {
    badRequestImplies(operationId, seed, body, because, fail);
    return;
  }
  if (lifecycle.csvOnly)
    assign(seed, "provider", "csv", because(`${route.operation.path.split("/").pop()} is for CSV profiles`), fail);
  bodyImplies[operationId]?.(seed, body, because, fail);
  if (lifecycle.needsSync !== undefined && seed.status === undefined)
    assign(seed, "status", lifecycle.needsSync, because(`a sync to ${lifecycle.event}`), fail);
  if (seed.status !== undefined && seed.decidedBy.state === undefined)
    assign(seed, "state", "provisioned", because("a sync needs a provisioned profile"), fail);
}

/** A list answered 2xx: each listed profile exists, as the page shows it, and as many as the states ask for. */
function inferListed(
  setup: StatedSetup,
  listed: unknown[],
  because: Because,
  fail: Fail,
  states: { noProfiles: boolean; profileCount: number | undefined },
): void {
  const items = listed.filter(isObject);
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
}
