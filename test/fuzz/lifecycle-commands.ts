import fc from "fast-check";
import { expect } from "vitest";
import {
  csvProfileRequest,
  oneRosterProfileRequest,
  powerSchoolProfileRequest,
} from "../../src/pact/provider-states/csv-profile-request.js";
import { CategoryCounts } from "../support/fuzz-config.js";
import { profiles, type SimCall } from "../support/simulator-harness.js";
import {
  type Expected,
  type LifecycleModel,
  type ModelProfile,
  type Provider,
  scenarioOf,
  type Timing,
} from "./lifecycle-model.js";

// The commands of the model-checked lifecycle: random operations (create, PATCH, PUT, delete,
// start, pause, resume, reset, uploadUrl, clock advances, and any of them with a fault asked for in
// X-Sds-Fault), each run against the independent model (lifecycle-model.ts) and a simulator (one
// in process, or replicas on one database), comparing every answer's status, Graph code and
// state, and after each step every profile's state (from the list) and sync status.
export const timing: Timing = { provisioningMs: 1000, syncPhaseMs: 700, deletionMs: 500, uploadUrlProcessingMs: 300 };
/** How often each kind of operation ran, for the test's annotation. */
export const ops = new CategoryCounts();

/** The simulator side: how to call it, and how to move its clock. */
export interface Real {
  call: SimCall;
  advance(ms: number): void;
}
type Command = fc.AsyncCommand<LifecycleModel, Real>;

const requests: Record<Provider, object> = {
  csv: csvProfileRequest,
  powerSchool: powerSchoolProfileRequest,
  oneRoster: oneRosterProfileRequest,
};
const withEnums = { prefer: "include-unknown-enum-members" };
const item = (profile: ModelProfile) => `${profiles}/${profile.id}`;

/** Compares an answer with the model's prediction: status, Graph code, and the profile's state. */
function expectAnswer(
  what: string,
  answer: { status: number; body: { error?: { code?: string }; state?: string } | undefined },
  want: Expected,
) {
  const got: Expected = { status: answer.status };
  if (want.code !== undefined) got.code = answer.body?.error?.code as string;
  if (want.state !== undefined) got.state = answer.body?.state as Expected["state"];
  expect(got, `${what}: ${JSON.stringify(answer.body)?.slice(0, 300)}`).toEqual(want);
}

/** After every step: the list holds exactly the live profiles, in their states; each status is the model's. */
async function expectSameState(model: LifecycleModel, real: Real) {
  const list = await real.call("GET", `${profiles}?$top=1000`);
  const listed = Object.fromEntries(
    (list.body.value as { id: string; state: string }[]).map((profile) => [profile.id, profile.state]),
  );
  const live = Object.fromEntries(
    model.profiles.filter((profile) => profile.state !== "gone").map((profile) => [profile.id, profile.state]),
  );
  expect(listed, `profiles and their states at +${model.now} ms`).toEqual(live);
  for (const [index, profile] of model.profiles.entries()) {
    const status = await real.call("GET", `${item(profile)}/profileStatus`, { headers: withEnums });
    if (profile.state === "gone") {
      expect(status.status, `#${index} is gone`).toBe(404);
      continue;
    }
    const want: Record<string, unknown> = { status: profile.status };
    const got: Record<string, unknown> = { status: status.body.status };
    if (profile.errorCount !== undefined) {
      want.errorCount = profile.errorCount;
      got.errorCount = status.body.errorCount;
    }
    expect(got, `#${index} (${profile.provider}, ${profile.state}) sync at +${model.now} ms`).toEqual(want);
  }
}

/** A fault asked for with X-Sds-Fault: the answer is the fault, and nothing happens (README, Faults). */
const faults = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom("throttle", "500", "503", "504") },
);
const faultStatus = (fault: string) => (fault === "throttle" ? 429 : Number(fault));
const faultCode: Record<string, string> = {
  throttle: "TooManyRequests",
  "500": "InternalError",
  "503": "serviceNotAvailable",
  "504": "gatewayTimeout",
};
const describeFault = (fault: string | undefined) => (fault === undefined ? "" : ` with X-Sds-Fault: ${fault}`);

class Create implements Command {
  constructor(
    readonly provider: Provider,
    readonly tokens: string[],
    readonly carrier: "header" | "name",
    readonly fault: string | undefined,
  ) {}
  check = () => true;
  async run(model: LifecycleModel, real: Real) {
    ops.add(this.fault ? "fault" : "create");
    const token = this.tokens.join(", ");
    const body = {
      ...requests[this.provider],
      displayName: this.carrier === "name" && token ? `Fuzz [sds:${token}]` : "Fuzz",
    };
    const headers: Record<string, string> = {};
    if (this.carrier === "header" && token) headers["x-sds-scenario"] = token;
    if (this.fault) headers["x-sds-fault"] = this.fault;
    const answer = await real.call("POST", profiles, { body, headers });
    if (this.fault) {
      expectAnswer(String(this), answer, { status: faultStatus(this.fault), code: faultCode[this.fault] });
    } else {
      const want = model.create(answer.body?.id as string, this.provider, scenarioOf(this.tokens));
      expectAnswer(String(this), answer, want);
    }
    await expectSameState(model, real);
  }
  toString() {
    const scenario = this.tokens.length ? ` [${this.tokens.join(", ")}] in the ${this.carrier}` : "";
    return `create(${this.provider}${scenario})${describeFault(this.fault)}`;
  }
}

type Operation = "patch" | "put" | "delete" | "start" | "pause" | "resume" | "reset" | "uploadUrl";

class OnProfile implements Command {
  constructor(
    readonly operation: Operation,
    readonly pick: number,
    readonly fault: string | undefined,
  ) {}
  check = (model: Readonly<LifecycleModel>) => model.profiles.length > 0;
  async run(model: LifecycleModel, real: Real) {
    ops.add(this.fault ? "fault" : this.operation);
    const index = this.pick % model.profiles.length;
    const profile = model.profiles[index] as ModelProfile;
    const headers: Record<string, string> = this.fault ? { "x-sds-fault": this.fault } : {};
    const path = item(profile);
    const answer =
      this.operation === "patch"
        ? await real.call("PATCH", path, { body: { displayName: "Renamed" }, headers })
        : this.operation === "put"
          ? await real.call("PUT", profiles, { body: { ...requests[profile.provider], id: profile.id }, headers })
          : this.operation === "delete"
            ? await real.call("DELETE", path, { headers })
            : this.operation === "uploadUrl"
              ? await real.call("GET", `${path}/uploadUrl`, { headers })
              : await real.call("POST", `${path}/${this.operation}`, { headers });
    const what = `${this.operation} #${index}`;
    if (this.fault) {
      expectAnswer(what, answer, { status: faultStatus(this.fault), code: faultCode[this.fault] });
    } else {
      const want =
        this.operation === "patch" || this.operation === "put"
          ? model.update(index, this.operation === "patch" ? "PATCH" : "PUT")
          : model[this.operation](index);
      expectAnswer(what, answer, want);
      if (this.operation === "start" && (answer.status === 200 || answer.status === 400) && !answer.body?.error) {
        // §1 #10: warnings alone start the sync; any error message means a 400 and no sync.
        const types = (answer.body as unknown as { value: { type: string }[] }).value.map((m) => m.type.toLowerCase());
        expect(types.includes("error"), `${what} messages ${types}`).toBe(answer.status === 400);
      }
    }
    await expectSameState(model, real);
  }
  toString() {
    return `${this.operation}(#${this.pick})${describeFault(this.fault)}`;
  }
}

class Advance implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: LifecycleModel, real: Real) {
    ops.add("advance");
    model.advance(this.ms);
    real.advance(this.ms);
    await expectSameState(model, real);
  }
  toString() {
    return `advance(${this.ms} ms)`;
  }
}

const scenarioTokens = fc
  .record(
    {
      provisioning: fc.constant("provisioning-failed"),
      verification: fc.constantFrom("verification-warnings", "verification-errors"),
      outcome: fc
        .tuple(
          fc.constantFrom("sync-error", "sync-validation-error", "sync-quarantined"),
          fc.integer({ min: 0, max: 5 }),
        )
        .map(([name, n]) => `${name}:${n}`),
      deletion: fc.constant("deletion-failed"),
    },
    { requiredKeys: [] },
  )
  .map((tokens) => Object.values(tokens));

const create = fc
  .tuple(
    fc.constantFrom<Provider>("csv", "csv", "powerSchool", "oneRoster"),
    scenarioTokens,
    fc.constantFrom<"header" | "name">("header", "name"),
    faults,
  )
  .map(([provider, tokens, carrier, fault]) => new Create(provider, tokens, carrier, fault));
const onProfile = fc
  .tuple(
    fc.constantFrom<Operation>("patch", "put", "delete", "start", "start", "pause", "resume", "reset", "uploadUrl"),
    fc.nat(),
    faults,
  )
  .map(([operation, pick, fault]) => new OnProfile(operation, pick, fault));
const advance = fc
  .oneof(fc.constantFrom(1, 299, 300, 499, 500, 699, 700, 1000, 1400, 2100), fc.integer({ min: 0, max: 3000 }))
  .map((ms) => new Advance(ms));
// fc.commands draws each command from one of these alike: an operation on a profile comes four
// times as often as a create, a clock advance twice as often.
export const commands = [create, onProfile, onProfile, onProfile, onProfile, advance, advance];
