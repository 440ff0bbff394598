import { randomUUID } from "node:crypto";
import { createTestToken } from "../auth/test-token.js";
import { generateRoster } from "../csv/generate-roster.js";
import { importPart, MissingPartError } from "../parts/optional-parts.js";
import { atLeast, type ConformanceLevel } from "../spec/provenance.js";
import { jsonContent, listOperations } from "../spec/spec-operations.js";
import { type SpecValidators, specValidators } from "../validation/spec-validators.js";
import { type CheckFailure, ConformanceHttp, describeAnswer, type Exchange, type Send } from "./conformance-http.js";

/**
 * The groups of checks, in the order they run: `service` holds what the live service was seen to
 * do where its pages say otherwise; the 429 check in `errors` judges what the whole run met.
 */
export const conformanceGroups = ["create", "provisioning", "read", "service", "csv", "delete", "errors"] as const;
export type ConformanceGroup = (typeof conformanceGroups)[number];

export interface CheckResult {
  group: ConformanceGroup;
  name: string;
  status: "passed" | "failed" | "skipped";
  failures: CheckFailure[];
  /** Why it was skipped. */
  reason?: string;
  ms: number;
}

export interface ConformanceReport {
  target: string;
  level: ConformanceLevel;
  results: CheckResult[];
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
}

export interface ConformanceOptions {
  /** Where the API lives (`http://127.0.0.1:4011`, `https://graph.microsoft.com/beta`); with `fetch`, any origin it answers. */
  baseUrl?: string;
  /** A `Request -> Response` function to check instead of a port: MSW handlers, a simulator's in-process fetch. */
  fetch?: Send;
  /** The bearer token to send; default a test token with every delegated permission (what the kit's mocks accept). */
  token?: string;
  /** Called for a token before each request (a token command, a refreshing credential). */
  getToken?: () => Promise<string> | string;
  /** `documented` (the default) holds what Microsoft documented; `kit` the kit's decisions too (decisions.md#conformance-levels). */
  level?: ConformanceLevel;
  /** How long a profile may take to settle after create or delete, in ms (default 60 000). */
  timeoutMs?: number;
  /** Only these groups (the profile they need is still created). */
  only?: readonly ConformanceGroup[];
  /** How to wait between polls and before retrying a 429 (tests pass one that moves a virtual clock). */
  sleep?: (ms: number) => Promise<void>;
  /** Called as each group finishes, for a progress line. */
  onGroup?: (group: ConformanceGroup, results: CheckResult[]) => void;
  validators?: SpecValidators;
}

/** A check cannot run here, and says why. */
class Skip {
  constructor(readonly reason: string) {}
}

const api = "/education/synchronizationProfiles";
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const settledStates = ["provisioned", "provisioningFailed"];
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

interface Subject {
  id: string;
  displayName: string;
  /** The state it settled in, once known. */
  settled?: string;
  /** The profile as first read after create, while (perhaps) provisioning. */
  createdState?: string;
}

/**
 * Checks any server, or any `Request -> Response` function, against the documented behaviour of
 * the synchronization profile API, at a conformance level. Stateless towards the server: it
 * creates what it needs, drives it through the lifecycle, judges every answer against the spec,
 * and deletes what it created, also when a check fails half-way.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = performance.now();
  const level = options.level ?? "documented";
  const validators = options.validators ?? specValidators();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const baseUrl = options.baseUrl ?? "http://sds-conform.invalid";
  const fallbackToken = options.token ?? createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
  const http = new ConformanceHttp({
    baseUrl,
    send: options.fetch ?? ((request) => fetch(request)),
    token: async () => (options.getToken ? await options.getToken() : fallbackToken),
    level,
    validators,
    sleep,
  });

  const tag = `sds-kit conform ${randomUUID().slice(0, 8)}`;
  const created = new Set<string>();
  const gone = new Set<string>();
  let subject: Subject | Skip | undefined;
  let statelessBecause: string | undefined;
  let filesUploaded = false;
  let uploadUrl: string | undefined;
  let syncStarted = false;

  const documentedCreate = (): Json => {
    const create = listOperations(validators.document).find((op) => op.operationId === "createSynchronizationProfile");
    const examples = jsonContent(create?.requestBody?.content)?.examples ?? {};
    const documented = (examples.documented ?? Object.values(examples)[0]) as { value?: unknown } | undefined;
    return { ...(structuredClone(documented?.value) as Json), displayName: tag };
  };
  const remember = (answer: Exchange) => {
    if (answer.status >= 200 && answer.status < 300 && isObject(answer.body) && typeof answer.body.id === "string")
      created.add(answer.body.id);
  };
  const require = (failures: CheckFailure[], ok: boolean, failure: CheckFailure) => {
    if (!ok) failures.push(failure);
    return ok;
  };

  /** Creates the profile the checks drive, once; the first create check does it, or the first that needs it. */
  async function createSubject(failures: CheckFailure[]): Promise<Subject> {
    if (subject instanceof Skip) throw subject;
    if (subject) return subject;
    const body = documentedCreate();
    const answer = await http.call("POST", api, failures, { body });
    remember(answer);
    const profile = isObject(answer.body) ? answer.body : {};
    if (!(answer.status === 201 || answer.status === 202) || typeof profile.id !== "string") {
      subject = new Skip(
        `no profile to check: the create request answered ${describeAnswer(answer.status, answer.body)}`,
      );
      throw subject;
    }
    subject = {
      id: profile.id,
      displayName: tag,
      ...(typeof profile.state === "string" ? { createdState: profile.state } : {}),
    };
    // A server that keeps no state (a mock serving examples) answers some other profile when asked for this one.
    const read = await http.call("GET", `${api}/${subject.id}`, []);
    const name = isObject(read.body) ? read.body.displayName : undefined;
    if (read.status !== 200 || name !== tag)
      statelessBecause = `the server keeps no state: GET ${api}/${subject.id} answered ${describeAnswer(read.status, name === undefined ? read.body : { displayName: name })}, not the profile created as "${tag}"`;
    return subject;
  }
  const needState = () => {
    if (statelessBecause !== undefined) throw new Skip(statelessBecause);
  };

  /** Polls a profile until `done` says so, honouring the timeout; what it read last. */
  async function poll(
    id: string,
    failures: CheckFailure[],
    done: (answer: Exchange) => boolean,
  ): Promise<{ answer: Exchange; waited: number; settled: boolean }> {
    let waited = 0;
    let interval = 250;
    for (;;) {
      const answer = await http.call("GET", `${api}/${id}`, failures);
      if (done(answer)) return { answer, waited, settled: true };
      if (waited + interval > timeoutMs) return { answer, waited, settled: false };
      await sleep(interval);
      waited += interval;
      interval = Math.min(Math.round(interval * 1.5), 5000);
    }
  }

  async function settledSubject(failures: CheckFailure[]): Promise<Subject> {
    const profile = await createSubject(failures);
    needState();
    if (profile.settled) return profile;
    const { answer, waited, settled } = await poll(
      profile.id,
      failures,
      (a) => a.status !== 200 || (isObject(a.body) && settledStates.includes(String(a.body.state))),
    );
    const state = isObject(answer.body) ? String(answer.body.state) : undefined;
    if (!settled || answer.status !== 200 || state === undefined)
      throw new Skip(
        `the profile did not settle: GET ${api}/${profile.id} answered ${describeAnswer(answer.status, answer.body)} after ${waited} ms`,
      );
    profile.settled = state;
    return profile;
  }

  async function provisionedCsvSubject(failures: CheckFailure[]): Promise<Subject> {
    const profile = statelessBecause === undefined ? await settledSubject(failures) : await createSubject(failures);
    if (profile.settled === "provisioningFailed")
      throw new Skip("the profile failed provisioning: the CSV operations need it provisioned");
    return profile;
  }

  /** From the observed level up, an error carries the code the live service answered with. */
  const requireObservedCode = (failures: CheckFailure[], answer: Exchange, code: string, source: string) => {
    if (!atLeast(level, "observed")) return;
    const got = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.code : undefined;
    require(failures, got === code, {
      request: answer.request,
      requirement: `error.code "${code}", as the live service answered`,
      source,
      got: JSON.stringify(got ?? "no code"),
    });
  };

  const invalidCreate = (change: (body: Json) => void) => async (failures: CheckFailure[]) => {
    const body = documentedCreate();
    change(body);
    const answer = await http.call("POST", api, failures, { body, expectedStatus: 400 });
    remember(answer);
    require(failures, answer.status === 400, {
      request: answer.request,
      requirement: "400 with Graph's error envelope: a create that breaks the request schema is refused",
      source: "documented §1 #2 [OLD] (400 when model validation fails)",
      got: describeAnswer(answer.status, answer.body),
    });
    if (answer.status === 400)
      requireObservedCode(failures, answer, "BadRequest", "observed decisions.md#service-error-codes");
  };

  const checks: {
    group: ConformanceGroup;
    name: string;
    /** The lowest level that holds what the check requires; below it the check is skipped. */
    level?: ConformanceLevel;
    run: (failures: CheckFailure[]) => Promise<void>;
  }[] = [
    {
      group: "create",
      name: "the documentation's request answers 202 or 201 with a provisioning profile and a GUID id",
      run: async (failures) => {
        let profile: Subject;
        try {
          profile = await createSubject(failures);
        } catch (error) {
          if (!(error instanceof Skip)) throw error;
          failures.push({
            request: `POST ${api}`,
            requirement: "202 (or 201) with the new profile",
            source: "documented §1 #2 [OLD][MGD]",
            got: error.reason.replace(/^no profile to check: the create request answered /, ""),
          });
          return;
        }
        require(failures, guid.test(profile.id), {
          request: `POST ${api}`,
          requirement: "a GUID id assigned by the service",
          source: "documented §2.1 [OLD][MGD] (a server-assigned GUID)",
          got: JSON.stringify(profile.id),
        });
        require(failures, ["provisioning", ...settledStates].includes(profile.createdState ?? ""), {
          request: `POST ${api}`,
          requirement: 'state "provisioning" (or, had it settled already, "provisioned" or "provisioningFailed")',
          source: "documented §1 #2 [OLD][MGD]",
          got: JSON.stringify(profile.createdState ?? "no state"),
        });
      },
    },
    {
      group: "create",
      name: "a request without displayName answers 400 with Graph's error envelope",
      run: invalidCreate((body) => {
        delete body.displayName;
      }),
    },
    {
      group: "create",
      name: "an unknown @odata.type answers 400 with Graph's error envelope",
      run: invalidCreate((body) => {
        body.dataProvider = { "@odata.type": "#microsoft.graph.educationSpreadsheetDataProvider" };
      }),
    },
    {
      group: "create",
      name: "a displayName that is not a string answers 400 with Graph's error envelope",
      run: invalidCreate((body) => {
        body.displayName = 42;
      }),
    },
    {
      group: "provisioning",
      name: "the status endpoint answers while the profile provisions",
      run: async (failures) => {
        const profile = await createSubject(failures);
        await http.call("GET", `${api}/${profile.id}/profileStatus`, failures, { expectedStatus: 200 });
      },
    },
    {
      group: "provisioning",
      name: "polling the profile settles in provisioned or provisioningFailed within the timeout",
      run: async (failures) => {
        const profile = await createSubject(failures);
        needState();
        const { answer, waited, settled } = await poll(
          profile.id,
          failures,
          (a) => a.status !== 200 || (isObject(a.body) && settledStates.includes(String(a.body.state))),
        );
        const state = isObject(answer.body) ? answer.body.state : undefined;
        if (
          require(failures, settled && answer.status === 200, {
            request: answer.request,
            requirement: `state "provisioned" or "provisioningFailed" within ${timeoutMs} ms of polling`,
            source: "documented §1 #2 [OLD][MGD] (poll until provisioned)",
            got: settled
              ? describeAnswer(answer.status, answer.body)
              : `still ${JSON.stringify(state)} after ${waited} ms`,
          })
        )
          profile.settled = String(state);
      },
    },
    {
      group: "read",
      name: "get answers the profile that was created",
      run: async (failures) => {
        const profile = await createSubject(failures);
        needState();
        const answer = await http.call("GET", `${api}/${profile.id}`, failures, { expectedStatus: 200 });
        const body = isObject(answer.body) ? answer.body : {};
        require(failures, body.id === profile.id && body.displayName === profile.displayName, {
          request: answer.request,
          requirement: `the profile created, id ${profile.id}, named "${profile.displayName}"`,
          source: "documented §1 #3 [OLD][MGD]",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "read",
      name: "list pages with $top through @odata.nextLink to the end, without repeats",
      run: async (failures) => {
        const profile = await createSubject(failures);
        const expected = new Set<string>();
        if (statelessBecause === undefined) {
          // Two profiles of the run's own, so that a page of one must have a next link.
          const second = await http.call("POST", api, failures, {
            body: { ...documentedCreate(), displayName: `${tag} (2)` },
          });
          remember(second);
          expected.add(profile.id);
          if (isObject(second.body) && typeof second.body.id === "string") expected.add(second.body.id);
        }
        const seenIds = new Set<string>();
        const seenLinks = new Set<string>();
        let path = `${api}?$top=1`;
        for (let page = 0; ; page += 1) {
          const answer = await http.call("GET", path, failures, { expectedStatus: 200 });
          if (answer.status !== 200 || !isObject(answer.body)) return;
          for (const item of Array.isArray(answer.body.value) ? answer.body.value : []) {
            const id = isObject(item) ? String(item.id) : "";
            require(failures, !seenIds.has(id), {
              request: answer.request,
              requirement: "each profile once across the pages",
              source: "graph-convention §4 (paging)",
              got: `profile ${id} again on page ${page + 1}`,
            });
            seenIds.add(id);
          }
          const next = answer.body["@odata.nextLink"];
          if (typeof next !== "string") break;
          const following = nextPath(next);
          if (
            !require(failures, following !== undefined && !seenLinks.has(following) && page < 1000, {
              request: answer.request,
              requirement: "an @odata.nextLink that leads on, to a last page without one",
              source: "graph-convention §4 (paging)",
              got:
                following === undefined
                  ? `an unusable next link ${JSON.stringify(next)}`
                  : `a next link that repeats: ${next}`,
            })
          )
            return;
          seenLinks.add(following as string);
          path = following as string;
        }
        const missing = [...expected].filter((id) => !seenIds.has(id));
        require(failures, missing.length === 0, {
          request: `GET ${api}?$top=1 and its next links`,
          requirement: "every profile of the tenant, the run's own among them",
          source: "documented §1 #1 [OLD][MGD]",
          got: `${seenIds.size} profile(s) listed, without ${missing.join(", ")}`,
        });
      },
    },
    {
      group: "read",
      name: "status answers",
      run: async (failures) => {
        const profile = await createSubject(failures);
        await http.call("GET", `${api}/${profile.id}/profileStatus`, failures, { expectedStatus: 200 });
      },
    },
    {
      group: "read",
      name: "the errors list answers",
      run: async (failures) => {
        const profile = await createSubject(failures);
        await http.call("GET", `${api}/${profile.id}/errors`, failures, { expectedStatus: 200 });
      },
    },
    {
      group: "csv",
      name: "uploadUrl answers a SAS URL to upload the files to",
      run: async (failures) => {
        const profile = await provisionedCsvSubject(failures);
        const answer = await http.call("GET", `${api}/${profile.id}/uploadUrl`, failures);
        const value = isObject(answer.body) ? answer.body.value : undefined;
        const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
        if (url) uploadUrl = url.toString();
        require(failures, (answer.status === 200 || answer.status === 201) &&
          url !== undefined &&
          url.searchParams.has("sig"), {
          request: answer.request,
          requirement: "200 (or 201) with a blob container SAS URL: https, signed (sig=)",
          source: "documented §1 #11 [MGD]",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "csv",
      name: "the six CSV files upload through the URL with the Azure Storage SDK",
      run: async (failures) => {
        await provisionedCsvSubject(failures);
        needState();
        if (options.fetch)
          throw new Skip("a fetch function answers the API, not the blob endpoint the files go to: run against a URL");
        // The URL the uploadUrl check got: a second request within a moment may rightly answer 409.
        const url = uploadUrl;
        if (url === undefined) throw new Skip("there is no upload URL to upload to (the uploadUrl check says why)");
        let sdk: typeof import("@azure/storage-blob");
        try {
          sdk = await importPart("storageSdk", () => import("@azure/storage-blob"));
        } catch (error) {
          if (error instanceof MissingPartError) throw new Skip(error.message);
          throw error;
        }
        const container = new sdk.ContainerClient(url, undefined, { retryOptions: { maxTries: 1 } });
        for (const [name, content] of generateRoster({ seed: tag })) {
          try {
            await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content), {
              abortSignal: AbortSignal.timeout(30_000),
            });
          } catch (error) {
            const status = (error as { statusCode?: number }).statusCode;
            const cause = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
            failures.push({
              request: `PUT ${new URL(url).origin}${new URL(url).pathname}/${name}`,
              requirement: "the upload URL takes the files, as a blob container SAS does",
              source: "documented §1 #11 [MGD] (upload with AzCopy or the Storage SDK)",
              got: status === undefined ? `no answer: ${cause}` : `${status} ${cause}`,
            });
            return;
          }
        }
        filesUploaded = true;
      },
    },
    {
      group: "csv",
      name: "start answers 200, or 400 when verification finds errors",
      run: async (failures) => {
        const profile = await provisionedCsvSubject(failures);
        const answer = await http.call("POST", `${api}/${profile.id}/start`, failures);
        const messages =
          isObject(answer.body) && Array.isArray(answer.body.value) ? answer.body.value.filter(isObject) : [];
        const errors = messages.filter((m) => String(m.type).toLowerCase() === "error").length;
        syncStarted = answer.status === 200 && errors === 0;
        // With a clean set uploaded, a server that verifies files has nothing to refuse.
        if (filesUploaded)
          require(failures, answer.status === 200 && errors === 0, {
            request: answer.request,
            requirement: "200 without error messages for a clean set of the six files",
            source: "documented §1 #10 [OLD][MGD]",
            got: describeAnswer(answer.status, answer.body),
          });
        require(failures, answer.status === 200 || answer.status === 400, {
          request: answer.request,
          requirement: "200 when the files verify, 400 when verification finds errors",
          source: "documented §1 #10 [OLD][MGD]",
          got: describeAnswer(answer.status, answer.body),
        });
        // The documentation's own example lists errors under 200; only the kit's level holds the prose's rule.
        if (level === "kit")
          require(failures, !(answer.status === 200 && errors > 0), {
            request: answer.request,
            requirement: "400 when any verification message is an error",
            source: "kit decisions.md#start-status",
            got: `200 with ${errors} error message(s)`,
          });
      },
    },
    {
      group: "csv",
      name: "pause answers 200 without a body",
      run: async (failures) => {
        const profile = await provisionedCsvSubject(failures);
        const answer = await http.call("POST", `${api}/${profile.id}/pause`, failures, { expectedStatus: 200 });
        if (level === "kit" && answer.status === 200 && statelessBecause === undefined) {
          const status = await http.call("GET", `${api}/${profile.id}/profileStatus`, failures);
          require(failures, isObject(status.body) && status.body.status === "paused", {
            request: status.request,
            requirement: 'sync status "paused" after a pause',
            source: "documented §1 #7 [OLD][MGD]",
            got: describeAnswer(status.status, status.body),
          });
        }
      },
    },
    {
      group: "csv",
      name: "resume answers 200 without a body",
      run: async (failures) => {
        const profile = await provisionedCsvSubject(failures);
        if (!syncStarted)
          throw new Skip("the sync did not start, so there is nothing to resume (start answered without starting it)");
        await http.call("POST", `${api}/${profile.id}/resume`, failures, { expectedStatus: 200 });
      },
    },
    {
      group: "csv",
      name: "reset answers 200 without a body",
      run: async (failures) => {
        const profile = await provisionedCsvSubject(failures);
        // Like resume, reset needs a sync that ran (decisions.md#sync-status-before-start).
        if (!syncStarted)
          throw new Skip("the sync did not start, so there is nothing to reset (start answered without starting it)");
        await http.call("POST", `${api}/${profile.id}/reset`, failures, { expectedStatus: 200 });
      },
    },
    {
      group: "delete",
      name: "delete answers 202, then the profile goes away or reports deleting while it does",
      run: async (failures) => {
        const profile = await createSubject(failures);
        needState();
        const answer = await http.call("DELETE", `${api}/${profile.id}`, failures, { expectedStatus: 202 });
        if (answer.status !== 202) return;
        const {
          answer: last,
          waited,
          settled,
        } = await poll(profile.id, failures, (a) => {
          if (a.status === 404) return true;
          const state = isObject(a.body) ? a.body.state : undefined;
          return a.status !== 200 || state === "deletionFailed";
        });
        const state = isObject(last.body) ? last.body.state : undefined;
        if (last.status === 404) gone.add(profile.id);
        require(failures, settled && last.status === 404, {
          request: last.request,
          requirement: `404 within ${timeoutMs} ms of the delete, "deleting" until then`,
          source: "documented §1 #5 [OLD][MGD]",
          got: settled
            ? describeAnswer(last.status, last.body)
            : `still readable after ${waited} ms (state ${JSON.stringify(state)})`,
        });
      },
    },
    {
      group: "service",
      name: "a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it",
      level: "observed",
      run: async (failures) => {
        const body = documentedCreate();
        (body.dataProvider as Json)["@odata.type"] = "#Microsoft.Education.DataSync.educationCsvDataProvider";
        const answer = await http.call("POST", api, failures, { body, expectedStatus: 400 });
        remember(answer);
        const message = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.message : undefined;
        require(failures, answer.status === 400 && String(message).startsWith("Invalid OData type specified"), {
          request: answer.request,
          requirement: '400 BadRequest "Invalid OData type specified: …", as microsoft-graph-docs#17889 captured',
          source: "observed decisions.md#odata-namespace",
          got: describeAnswer(answer.status, answer.body),
        });
        if (answer.status === 400)
          requireObservedCode(failures, answer, "BadRequest", "observed decisions.md#odata-namespace");
      },
    },
    {
      group: "service",
      name: "status with $select answers only the property selected",
      level: "observed",
      run: async (failures) => {
        const profile = await createSubject(failures);
        const answer = await http.call(
          "GET",
          `${api}/${profile.id}/profileStatus?$select=lastSynchronizationDateTime`,
          failures,
          { expectedStatus: 200 },
        );
        const properties = isObject(answer.body) ? Object.keys(answer.body).filter((k) => !k.startsWith("@")) : [];
        require(failures, answer.status === 200 && properties.join() === "lastSynchronizationDateTime", {
          request: answer.request,
          requirement: "200 with lastSynchronizationDateTime and no other property, as Graph's $select answers",
          source: "observed decisions.md#select",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "service",
      name: "query options are taken without their $, as on Graph's beta endpoint",
      run: async (failures) => {
        await createSubject(failures);
        const answer = await http.call("GET", `${api}?top=1`, failures, { expectedStatus: 200 });
        const value = isObject(answer.body) && Array.isArray(answer.body.value) ? answer.body.value : undefined;
        require(failures, answer.status === 200 && value !== undefined && value.length <= 1, {
          request: answer.request,
          requirement: "at most one profile: top=1 is $top=1 on the beta endpoint",
          source: "graph-convention (the $ prefix is optional on beta)",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "service",
      name: "a path the API does not have is Graph's 400 naming the segment",
      level: "observed",
      run: async (failures) => {
        const profile = await createSubject(failures).catch(() => undefined);
        const id = profile instanceof Skip || profile === undefined ? randomUUID() : profile.id;
        const answer = await http.call("GET", `${api}/${id}/verifyFiles`, failures);
        const message = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.message : undefined;
        require(failures, answer.status === 400 && message === "Resource not found for the segment 'verifyFiles'.", {
          request: answer.request,
          requirement: "400 BadRequest \"Resource not found for the segment 'verifyFiles'.\"",
          source: "observed decisions.md#unknown-segment",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "service",
      name: "path segments in another letter case reach their operation",
      level: "kit",
      run: async (failures) => {
        const profile = await createSubject(failures);
        const answer = await http.call("GET", `${api}/${profile.id}/ProfileStatus`, failures, { expectedStatus: 200 });
        require(failures, answer.status === 200, {
          request: answer.request,
          requirement: "200: /ProfileStatus is /profileStatus, as OData's resolvers match segments",
          source: "kit decisions.md#segment-case",
          got: describeAnswer(answer.status, answer.body),
        });
      },
    },
    {
      group: "errors",
      name: "a request without a token answers 401",
      run: async (failures) => {
        const answer = await http.call("GET", api, failures, { token: null, expectedStatus: 401 });
        if (answer.status === 401)
          requireObservedCode(
            failures,
            answer,
            "InvalidAuthenticationToken",
            "observed decisions.md#unauthenticated-code",
          );
      },
    },
    {
      group: "errors",
      name: "an unknown id answers 404",
      run: async (failures) => {
        await createSubject(failures).catch(() => undefined);
        needState();
        await http.call("GET", `${api}/${randomUUID()}`, failures, { expectedStatus: 404 });
      },
    },
    {
      group: "errors",
      name: "a 429 carries Retry-After and Graph's error envelope",
      run: async (failures) => {
        if (http.throttles.length === 0)
          throw new Skip("the server did not throttle during the run (429s are observed, not forced)");
        for (const throttle of http.throttles) failures.push(...throttle.failures);
      },
    },
  ];

  /** A next link as a path on the configured base: next links carry the service's own origin. */
  function nextPath(link: string): string | undefined {
    if (!URL.canParse(link)) return undefined;
    const url = new URL(link);
    const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    return url.hash === "" && path.startsWith(api) ? `${path}${url.search}` : undefined;
  }

  const results: CheckResult[] = [];
  try {
    for (const group of conformanceGroups) {
      if (options.only && !options.only.includes(group)) continue;
      const mine: CheckResult[] = [];
      for (const check of checks.filter((c) => c.group === group)) {
        const begun = performance.now();
        const failures: CheckFailure[] = [];
        let reason: string | undefined;
        try {
          if (check.level !== undefined && !atLeast(level, check.level))
            throw new Skip(`held from the ${check.level} level up (--level ${check.level})`);
          await check.run(failures);
        } catch (error) {
          if (!(error instanceof Skip)) throw error;
          reason = error.reason;
        }
        mine.push({
          group,
          name: check.name,
          status: failures.length > 0 ? "failed" : reason !== undefined ? "skipped" : "passed",
          failures,
          ...(reason !== undefined && failures.length === 0 ? { reason } : {}),
          ms: Math.round(performance.now() - begun),
        });
      }
      results.push(...mine);
      options.onGroup?.(group, mine);
    }
  } finally {
    // Whatever the run created goes, also when a check failed half-way (or threw).
    for (const id of created) {
      if (gone.has(id)) continue;
      await http.call("DELETE", `${api}/${id}`, []).catch(() => undefined);
    }
  }
  return {
    target: options.fetch && !options.baseUrl ? "an in-process fetch function" : baseUrl,
    level,
    results,
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    skipped: results.filter((r) => r.status === "skipped").length,
    ms: Math.round(performance.now() - started),
  };
}
