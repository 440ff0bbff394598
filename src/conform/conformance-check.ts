import type { ConformanceLevel } from "../spec/provenance.js";
import type { CheckFailure } from "./conformance-http.js";
import type { ConformanceSession } from "./conformance-session.js";

/**
 * The groups of checks, in the order they run: `service` holds what the live service was seen to
 * do where its pages say otherwise; the 429 check in `errors` judges what the whole run met.
 */
export const conformanceGroups = ["create", "provisioning", "read", "service", "csv", "delete", "errors"] as const;
export type ConformanceGroup = (typeof conformanceGroups)[number];

/** One check: what it is called, where it runs, and what it asks of the server. */
export interface ConformanceCheck {
  name: string;
  /** The lowest level that holds what the check requires; below it the check is skipped. */
  level?: ConformanceLevel;
  /** Sends its requests through the session and adds what it finds wrong to `failures`; throws a Skip when it cannot run. */
  run(session: ConformanceSession, failures: CheckFailure[]): Promise<void>;
}

/** What one check found. */
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
