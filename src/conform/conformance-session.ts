import { randomUUID } from "node:crypto";
import { provisioningOutcomes } from "../lifecycle/vocabulary.js";
import { atLeast, type ConformanceLevel } from "../spec/provenance.js";
import { jsonContent, listOperations } from "../spec/spec-operations.js";
import type { SpecValidators } from "../validation/spec-validators.js";
import { type CheckFailure, type ConformanceHttp, describeAnswer, type Exchange } from "./conformance-http.js";

/** Where the checks' requests go, under the base URL. */
export const profilesPath = "/education/synchronizationProfiles";

/** Polling a profile: the first wait, how each grows, and the longest. */
export const polling = { firstMs: 250, growth: 1.5, longestMs: 5000 } as const;

/** A check cannot run here, and says why. */
export class Skip {
  constructor(readonly reason: string) {}
}

export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The profile the checks drive, once it is created. */
export interface Subject {
  id: string;
  displayName: string;
  /** The state it settled in, once known. */
  settled?: string;
  /** The profile as first read after create, while (perhaps) provisioning. */
  createdState?: string;
}

export interface SessionOptions {
  http: ConformanceHttp;
  level: ConformanceLevel;
  validators: SpecValidators;
  baseUrl: string;
  /** How long a profile may take to settle after create or delete, in ms. */
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Checking a function, not a URL: what lies behind the API (the blob endpoint) is out of reach. */
  inProcess: boolean;
}

/**
 * What one conformance run knows as it goes, shared by its checks: the profile they drive, whether
 * the server keeps state, what the CSV checks got (an upload URL, files uploaded, a sync started),
 * and every profile created, to delete at the end. The checks read and add to it; the runner
 * (run-conformance.ts) makes one per run.
 */
export class ConformanceSession {
  /** Names what the run creates, so that it is told apart from the tenant's own profiles. */
  readonly tag = `sds-kit conform ${randomUUID().slice(0, 8)}`;
  readonly created = new Set<string>();
  readonly gone = new Set<string>();
  /** Why the server keeps no state (a mock serving examples), once seen. */
  statelessBecause: string | undefined;
  uploadUrl: string | undefined;
  filesUploaded = false;
  syncStarted = false;
  private subject: Subject | Skip | undefined;

  constructor(readonly options: SessionOptions) {}

  get http(): ConformanceHttp {
    return this.options.http;
  }
  get level(): ConformanceLevel {
    return this.options.level;
  }

  /** The documentation's create request, named with the run's tag. */
  documentedCreate(): Json {
    const create = listOperations(this.options.validators.document).find(
      (op) => op.operationId === "createSynchronizationProfile",
    );
    const examples = jsonContent(create?.requestBody?.content)?.examples ?? {};
    const documented = (examples.documented ?? Object.values(examples)[0]) as { value?: unknown } | undefined;
    return { ...(structuredClone(documented?.value) as Json), displayName: this.tag };
  }

  /** Notes a profile an answer created, to delete at the end. */
  remember(answer: Exchange): void {
    if (answer.status >= 200 && answer.status < 300 && isObject(answer.body) && typeof answer.body.id === "string")
      this.created.add(answer.body.id);
  }

  /** Adds `failure` unless `ok`; says whether it held. */
  expect(failures: CheckFailure[], ok: boolean, failure: CheckFailure): boolean {
    if (!ok) failures.push(failure);
    return ok;
  }

  /** From the observed level up, an error carries the code the live service answered with. */
  expectObservedCode(failures: CheckFailure[], answer: Exchange, code: string, source: string): void {
    if (!atLeast(this.level, "observed")) return;
    const got = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.code : undefined;
    this.expect(failures, got === code, {
      request: answer.request,
      requirement: `error.code "${code}", as the live service answered`,
      source,
      got: JSON.stringify(got ?? "no code"),
    });
  }

  /** Creates the profile the checks drive, once; the first create check does it, or the first that needs it. */
  async createSubject(failures: CheckFailure[]): Promise<Subject> {
    if (this.subject instanceof Skip) throw this.subject;
    if (this.subject) return this.subject;
    const answer = await this.http.call("POST", profilesPath, failures, { body: this.documentedCreate() });
    this.remember(answer);
    const profile = isObject(answer.body) ? answer.body : {};
    if (!(answer.status === 201 || answer.status === 202) || typeof profile.id !== "string") {
      this.subject = new Skip(
        `no profile to check: the create request answered ${describeAnswer(answer.status, answer.body)}`,
      );
      throw this.subject;
    }
    const subject: Subject = {
      id: profile.id,
      displayName: this.tag,
      ...(typeof profile.state === "string" ? { createdState: profile.state } : {}),
    };
    this.subject = subject;
    // A server that keeps no state (a mock serving examples) answers some other profile when asked for this one.
    const read = await this.http.call("GET", `${profilesPath}/${subject.id}`, []);
    const name = isObject(read.body) ? read.body.displayName : undefined;
    if (read.status !== 200 || name !== this.tag)
      this.statelessBecause = `the server keeps no state: GET ${profilesPath}/${subject.id} answered ${describeAnswer(read.status, name === undefined ? read.body : { displayName: name })}, not the profile created as "${this.tag}"`;
    return subject;
  }

  /** Skips the check when the server keeps no state. */
  needState(): void {
    if (this.statelessBecause !== undefined) throw new Skip(this.statelessBecause);
  }

  /** Polls a profile until `done` says so, honouring the timeout; what it read last. */
  async poll(
    id: string,
    failures: CheckFailure[],
    done: (answer: Exchange) => boolean,
  ): Promise<{ answer: Exchange; waited: number; settled: boolean }> {
    let waited = 0;
    let interval: number = polling.firstMs;
    for (;;) {
      const answer = await this.http.call("GET", `${profilesPath}/${id}`, failures);
      if (done(answer)) return { answer, waited, settled: true };
      if (waited + interval > this.options.timeoutMs) return { answer, waited, settled: false };
      await this.options.sleep(interval);
      waited += interval;
      interval = Math.min(Math.round(interval * polling.growth), polling.longestMs);
    }
  }

  /** Polls a profile until provisioning ends (or the read fails). */
  pollUntilProvisioned(id: string, failures: CheckFailure[]) {
    return this.poll(
      id,
      failures,
      (answer) =>
        answer.status !== 200 ||
        (isObject(answer.body) && (provisioningOutcomes as readonly unknown[]).includes(answer.body.state)),
    );
  }

  /** The subject once provisioning has ended; a Skip when it does not. */
  async settledSubject(failures: CheckFailure[]): Promise<Subject> {
    const profile = await this.createSubject(failures);
    this.needState();
    if (profile.settled) return profile;
    const { answer, waited, settled } = await this.pollUntilProvisioned(profile.id, failures);
    const state = isObject(answer.body) ? String(answer.body.state) : undefined;
    if (!settled || answer.status !== 200 || state === undefined)
      throw new Skip(
        `the profile did not settle: GET ${profilesPath}/${profile.id} answered ${describeAnswer(answer.status, answer.body)} after ${waited} ms`,
      );
    profile.settled = state;
    return profile;
  }

  /** The subject, provisioned, for the CSV operations; a server without state gets it as created. */
  async provisionedCsvSubject(failures: CheckFailure[]): Promise<Subject> {
    const profile =
      this.statelessBecause === undefined ? await this.settledSubject(failures) : await this.createSubject(failures);
    if (profile.settled === "provisioningFailed")
      throw new Skip("the profile failed provisioning: the CSV operations need it provisioned");
    return profile;
  }

  /** A next link as a path on the configured base: next links carry the service's own origin. */
  nextPath(link: string): string | undefined {
    if (!URL.canParse(link)) return undefined;
    const url = new URL(link);
    const basePath = new URL(this.options.baseUrl).pathname.replace(/\/$/, "");
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    return url.hash === "" && path.startsWith(profilesPath) ? `${path}${url.search}` : undefined;
  }

  /** Deletes whatever the run created and did not see go, also after a failure half-way. */
  async deleteWhatWasCreated(): Promise<void> {
    for (const id of this.created) {
      if (this.gone.has(id)) continue;
      await this.http.call("DELETE", `${profilesPath}/${id}`, []).catch(() => undefined);
    }
  }
}
