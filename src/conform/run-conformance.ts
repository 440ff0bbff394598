import { createTestToken } from "../auth/test-token.js";
import { atLeast, type ConformanceLevel } from "../spec/provenance.js";
import { type SpecValidators, specValidators } from "../validation/spec-validators.js";
import { createChecks } from "./checks/create-checks.js";
import { csvChecks } from "./checks/csv-checks.js";
import { deleteChecks } from "./checks/delete-checks.js";
import { errorChecks } from "./checks/error-checks.js";
import { provisioningChecks } from "./checks/provisioning-checks.js";
import { readChecks } from "./checks/read-checks.js";
import { serviceChecks } from "./checks/service-checks.js";
import {
  type CheckResult,
  type ConformanceCheck,
  type ConformanceGroup,
  type ConformanceReport,
  conformanceGroups,
} from "./conformance-check.js";
import { type CheckFailure, ConformanceHttp, type Send } from "./conformance-http.js";
import { ConformanceSession, Skip } from "./conformance-session.js";

export {
  type CheckResult,
  type ConformanceGroup,
  type ConformanceReport,
  conformanceGroups,
} from "./conformance-check.js";

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

/** Every check, by group: each group's module holds its checks, in the order they run. */
const checksByGroup: Record<ConformanceGroup, readonly ConformanceCheck[]> = {
  create: createChecks,
  provisioning: provisioningChecks,
  read: readChecks,
  service: serviceChecks,
  csv: csvChecks,
  delete: deleteChecks,
  errors: errorChecks,
};

/** How long a profile may take to settle after create or delete, unless told. */
const defaultTimeoutMs = 60_000;
/** The base URL of an in-process function, which answers any origin. */
const inProcessBaseUrl = "http://sds-conform.invalid";

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
  const baseUrl = options.baseUrl ?? inProcessBaseUrl;
  const fallbackToken = options.token ?? createTestToken({ scopes: ["EduAdministration.ReadWrite"] });
  const http = new ConformanceHttp({
    baseUrl,
    send: options.fetch ?? ((request) => fetch(request)),
    token: async () => (options.getToken ? await options.getToken() : fallbackToken),
    level,
    validators,
    sleep,
  });
  const session = new ConformanceSession({
    http,
    level,
    validators,
    baseUrl,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    sleep,
    inProcess: options.fetch !== undefined,
  });

  const results: CheckResult[] = [];
  try {
    for (const group of conformanceGroups) {
      if (options.only && !options.only.includes(group)) continue;
      const mine: CheckResult[] = [];
      for (const check of checksByGroup[group]) mine.push(await runCheck(session, group, check));
      results.push(...mine);
      options.onGroup?.(group, mine);
    }
  } finally {
    await session.deleteWhatWasCreated();
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

/** Runs one check: failed when it found something wrong, skipped when it could not run (saying why), else passed. */
async function runCheck(
  session: ConformanceSession,
  group: ConformanceGroup,
  check: ConformanceCheck,
): Promise<CheckResult> {
  const begun = performance.now();
  const failures: CheckFailure[] = [];
  let reason: string | undefined;
  try {
    if (check.level !== undefined && !atLeast(session.level, check.level))
      throw new Skip(`held from the ${check.level} level up (--level ${check.level})`);
    await check.run(session, failures);
  } catch (error) {
    if (!(error instanceof Skip)) throw error;
    reason = error.reason;
  }
  return {
    group,
    name: check.name,
    status: failures.length > 0 ? "failed" : reason !== undefined ? "skipped" : "passed",
    failures,
    ...(reason !== undefined && failures.length === 0 ? { reason } : {}),
    ms: Math.round(performance.now() - begun),
  };
}
