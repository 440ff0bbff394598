import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type PactInteraction, readPact } from "../pact-file.js";
import { csvProfileRequest, oneRosterProfileRequest, powerSchoolProfileRequest } from "./csv-profile-request.js";
import {
  type InteractionSetup,
  type PlanOptions,
  type ProfileSeed,
  planInteractionSetup,
  SetupError,
  why,
} from "./interaction-setup.js";
import type { StateHandler } from "./state-names.js";

/** One interaction of a pact, the state name the kit gave it, and what it needs (or why it cannot be set up). */
export interface PreparedInteraction {
  file: string;
  interaction: PactInteraction;
  /** The one provider state the rewritten pact gives the interaction. */
  stateName: string;
  setup?: InteractionSetup;
  problem?: string;
}

export interface PreparedPacts {
  /** Copies of the pact files, each interaction given one state of its own. */
  files: string[];
  interactions: PreparedInteraction[];
  /** Removes the copies. */
  cleanup(): void;
}

type Json = Record<string, unknown>;

/**
 * Gives every HTTP interaction of the pacts a provider state of its own, so that each gets the
 * setup it needs even where several share a state name with different needs, or have none: the
 * pact files are copied with each interaction's states replaced by one named for it (its original
 * sentences kept in the name). Requests, responses, matching rules and generators are untouched:
 * the setup changes what the provider holds, never what is verified.
 */
export function preparePacts(files: string[], options: PlanOptions = {}): PreparedPacts {
  const scratch = mkdtempSync(join(tmpdir(), "sds-kit-pacts-"));
  const prepared: PreparedInteraction[] = [];
  const written: string[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const text = readFileSync(file, "utf8");
    const pact = readPact(text, file);
    const raw = JSON.parse(text) as Json;
    const specification = pact.specification;
    const items = raw.interactions as Json[];
    let http = 0;
    for (const [index, item] of items.entries()) {
      const interaction = pact.interactions[http];
      if (interaction === undefined || (item.description ?? `interaction ${index}`) !== interaction.description)
        continue;
      http += 1;
      const original = interaction.providerStates.map((s) => s.name).join(" and ") || "no provider state";
      const stateName = `[sds-kit ${fileIndex + 1}.${index + 1}] ${original}`;
      let setup: InteractionSetup | undefined;
      let problem: string | undefined;
      try {
        setup = planInteractionSetup(interaction, options);
      } catch (error) {
        if (!(error instanceof SetupError)) throw error;
        problem = error.message;
      }
      prepared.push({ file, interaction, stateName, ...(setup ? { setup } : {}), ...(problem ? { problem } : {}) });
      if (specification.startsWith("2")) {
        item.providerState = stateName;
        delete item.providerStates;
      } else {
        item.providerStates = [{ name: stateName, params: {} }];
        delete item.providerState;
      }
    }
    const copy = join(scratch, `${fileIndex + 1}-${basename(file)}`);
    writeFileSync(copy, JSON.stringify(raw));
    written.push(copy);
  }
  return { files: written, interactions: prepared, cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
}

const requests = { csv: csvProfileRequest, powerSchool: powerSchoolProfileRequest, oneRoster: oneRosterProfileRequest };

/** The create request a seed is set up from. */
export function seedRequest(seed: ProfileSeed) {
  const request = structuredClone(requests[seed.provider]);
  if (seed.displayName !== undefined) request.displayName = seed.displayName;
  return request;
}

/**
 * State handlers that set each prepared interaction up through the simulator's admin API
 * (`/_sds`): the tenant emptied, each profile seeded (with the consumer's id where it chose one),
 * a throttle armed. They return each generated id under the name the pact hands it back by. An
 * interaction that cannot be set up fails at its state, with the reason.
 */
export function adminApiSetupHandlers(
  prepared: PreparedInteraction[],
  adminUrl: string,
  tenant: string,
): Record<string, StateHandler> {
  const admin = async (path: string, body: unknown = {}) => {
    const response = await fetch(`${adminUrl}/_sds${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sds-tenant": tenant },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`provider state: POST /_sds${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Json;
  };
  return Object.fromEntries(
    prepared.map(({ stateName, setup, problem }) => [
      stateName,
      async () => {
        if (!setup) throw new SetupError(problem ?? "this interaction cannot be set up");
        await admin("/reset");
        const values: Record<string, string> = {};
        for (const seed of setup.profiles) {
          const created = await admin("/profiles", {
            tenant,
            profile: seedRequest(seed),
            state: seed.state,
            ...(seed.id === undefined ? {} : { id: seed.id }),
            ...(seed.status === undefined ? {} : { status: seed.status }),
            ...(seed.errors === undefined ? {} : { errors: seed.errors }),
            ...(seed.scenario === undefined ? {} : { scenario: seed.scenario }),
            ...(filesFor(seed) === undefined ? {} : { files: filesFor(seed) }),
          });
          for (const name of seed.handBackAs) values[name] = String(created.id);
        }
        // An id no profile has: the tenant was just emptied, and a fresh GUID collides with nothing.
        for (const name of setup.absentHandBack) values[name] = randomUUID();
        if (setup.throttleSeconds !== undefined) await admin("/faults", { throttle: setup.throttleSeconds, count: 1 });
        return Object.keys(values).length > 0 ? values : undefined;
      },
    ]),
  );
}

/**
 * The files a seeded profile's container gets, where the simulator's uploads are real (it ignores
 * them when they are off and follows the scenario): a set that fails or warns the way the scenario
 * says, or the clean set a start expected to succeed needs.
 */
function filesFor(seed: ProfileSeed): string | undefined {
  if (seed.scenario === "verification-errors") return "unknown-section-reference";
  if (seed.scenario === "verification-warnings") return "duplicate-username";
  return seed.files;
}

/** One line per interaction: what was set up, and which rule decided it. */
export function describeSetups(prepared: PreparedInteraction[]): string[] {
  return prepared.map(({ interaction, setup, problem }) => {
    if (!setup) return `✗ "${interaction.description}": ${problem}`;
    const profiles = setup.profiles.map((seed) => {
      const id = seed.id ?? (seed.handBackAs.length > 0 ? `\${${seed.handBackAs.join(", ")}}` : "(any id)");
      const parts = [
        seed.state,
        seed.status ? `sync ${seed.status}` : "",
        seed.errors ? `${seed.errors} errors` : "",
        seed.scenario ?? "",
        seed.provider === "csv" ? "" : seed.provider,
        seed.displayName === undefined ? "" : `named ${JSON.stringify(seed.displayName)}`,
      ].filter(Boolean);
      return `profile ${id}: ${parts.join(", ")} [${why(seed)}]`;
    });
    const rest = [
      ...setup.absent.map((id) => `no profile ${id}`),
      ...setup.absentHandBack.map((name) => `no profile \${${name}}`),
      ...(setup.throttleSeconds === undefined ? [] : [`a 429 with Retry-After: ${setup.throttleSeconds}`]),
    ];
    const what = [...profiles, ...rest];
    return `✓ "${interaction.description}": ${what.length > 0 ? what.join("; ") : "an empty tenant"}`;
  });
}
