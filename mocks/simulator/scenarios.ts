import { quarantineErrorLimit } from "../../src/csv/sync-roster.js";
import type {
  FailedSyncStatus,
  ProfileState,
  ProvisioningOutcome,
  SyncStatus,
} from "../../src/lifecycle/vocabulary.js";
/**
 * What a profile will go through, chosen when it is created: with the `X-Sds-Scenario` header on
 * create (`X-Sds-Scenario: sync-error:120, deletion-failed`), with a token in its display name
 * (`Test Profile [sds:provisioning-failed]`), or through the admin API. The default is the happy
 * path: provisioned, clean verification, successful sync, clean deletion.
 */
export interface Scenario {
  provisioning: ProvisioningOutcome;
  verification: "clean" | "warnings" | "errors";
  /** How a sync ends: in success, or in one of the failed statuses. */
  outcome: Extract<SyncStatus, "success"> | FailedSyncStatus;
  /** Sync errors recorded by an unsuccessful outcome. */
  errorCount: number;
  deletion: "deleted" | Extract<ProfileState, "deletionFailed">;
}

export const defaultScenario: Scenario = {
  provisioning: "provisioned",
  verification: "clean",
  outcome: "success",
  errorCount: 0,
  deletion: "deleted",
};

const defaultErrorCounts = { error: 14, validationError: 220, quarantined: 35 } as const;

/** Every scenario token, with what it does (the README's table is checked against this). */
export const scenarioTokens = {
  "provisioning-failed": "provisioning ends in provisioningFailed",
  "verification-warnings": "start answers 200 with warnings; the sync runs",
  "verification-errors": "start answers 400 with the documentation's verification errors; no sync",
  "sync-error[:n]": "the sync ends in error, recording n errors (default 14)",
  "sync-validation-error[:n]":
    "the sync pauses itself in validationError with n errors (default 220); resume overrides",
  "sync-quarantined[:n]": "the sync ends in quarantined with n errors (default 35)",
  "deletion-failed": "deletion ends in deletionFailed",
} as const;

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

const displayNameToken = /\[sds:([^\]]*)\]/;

/** Parses scenario tokens (comma- or space-separated), starting from `base`. */
export function parseScenario(
  text: string,
  base: Scenario = defaultScenario,
  maxErrors = quarantineErrorLimit,
): Scenario {
  const scenario = { ...base };
  for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
    const [name, count] = raw.split(":");
    const n = count === undefined ? undefined : Number(count);
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > maxErrors)) {
      throw new ScenarioError(`scenario '${raw}': the error count must be a whole number from 0 to ${maxErrors}`);
    }
    switch (name) {
      case "provisioning-failed":
        scenario.provisioning = "provisioningFailed";
        break;
      case "verification-warnings":
        scenario.verification = "warnings";
        break;
      case "verification-errors":
        scenario.verification = "errors";
        break;
      case "sync-error":
        scenario.outcome = "error";
        scenario.errorCount = n ?? defaultErrorCounts.error;
        break;
      case "sync-validation-error":
        scenario.outcome = "validationError";
        scenario.errorCount = n ?? defaultErrorCounts.validationError;
        break;
      case "sync-quarantined":
        scenario.outcome = "quarantined";
        scenario.errorCount = n ?? defaultErrorCounts.quarantined;
        break;
      case "deletion-failed":
        scenario.deletion = "deletionFailed";
        break;
      default:
        throw new ScenarioError(`unknown scenario '${raw}'; known: ${Object.keys(scenarioTokens).join(", ")}`);
    }
  }
  return scenario;
}

/** The scenario for a new profile: its display name's `[sds:…]` token, then the header. */
export function scenarioFor(displayName: string, header: string | null): Scenario {
  const fromName = displayNameToken.exec(displayName)?.[1] ?? "";
  return parseScenario(header ?? "", parseScenario(fromName));
}
