import { missingPackages, type OptionalPart } from "../parts/optional-parts.js";
import { UsageError } from "./args.js";

/**
 * The variables `sds-kit simulate` reads, so that a sandbox in a container is configured the way
 * containers are: a flag given on the command line wins over its variable.
 */
export const sandboxVariables = {
  host: "SDS_HOST",
  port: "SDS_PORT",
  store: "SDS_STORE_URL",
  uploadsUrl: "SDS_UPLOADS_URL",
  adminToken: "SDS_ADMIN_TOKEN",
  log: "SDS_LOG",
} as const;

/** Shorter admin tokens are refused: the admin API of a shared sandbox can reset every tenant. */
export const minAdminTokenLength = 16;

export interface SandboxSettings {
  /** Whether profiles are in a database (a shared, persistent sandbox) rather than this process's memory. */
  sandbox: boolean;
  store: string;
  host: string | undefined;
  port: string | undefined;
  uploadsUrl: string | undefined;
  adminToken: string | undefined;
  /** The admin API: on without a token in memory (as always); in a sandbox only with a token. */
  admin: boolean;
  /** /_sds/health, /_sds/ready and /_sds/metrics: wherever the admin API is, and always in a sandbox. */
  monitoring: boolean;
  metrics: boolean;
  log: "json" | "off";
}

export interface SandboxFlags {
  host?: string | undefined;
  port?: string | undefined;
  store?: string | undefined;
  "uploads-url"?: string | undefined;
  "admin-token"?: string | undefined;
  "no-admin"?: boolean | undefined;
  metrics?: boolean | undefined;
  log?: string | undefined;
}

/** Empty is unset: a variable declared but left blank in a compose file means "not given". */
const given = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

/** Reads the flags, then the variables, into one sandbox's settings; a value it cannot use is a UsageError naming where it came from. */
export function readSandboxSettings(flags: SandboxFlags, env: NodeJS.ProcessEnv): SandboxSettings {
  const pick = (flag: keyof SandboxFlags, variable: keyof typeof sandboxVariables) => {
    const value = given(flags[flag] as string | undefined);
    if (value !== undefined) return { value, from: `--${flag}` };
    const fromEnv = given(env[sandboxVariables[variable]]);
    return { value: fromEnv, from: sandboxVariables[variable] };
  };
  const store = pick("store", "store").value ?? "memory";
  const sandbox = store !== "memory";
  const adminToken = pick("admin-token", "adminToken");
  if (adminToken.value !== undefined && adminToken.value.length < minAdminTokenLength)
    throw new UsageError(`${adminToken.from} must be at least ${minAdminTokenLength} characters`);
  const log = pick("log", "log");
  if (log.value !== undefined && log.value !== "json" && log.value !== "off")
    throw new UsageError(`${log.from} must be json or off, got '${log.value}'`);
  const admin = flags["no-admin"] !== true && (!sandbox || adminToken.value !== undefined);
  return {
    sandbox,
    store,
    host: pick("host", "host").value,
    port: pick("port", "port").value,
    uploadsUrl: pick("uploads-url", "uploadsUrl").value,
    adminToken: admin ? adminToken.value : undefined,
    admin,
    monitoring: admin || sandbox,
    metrics: flags.metrics === true || sandbox,
    log: (log.value as "json" | "off" | undefined) ?? (sandbox ? "json" : "off"),
  };
}

/** The packages these settings need that are not installed, each with its range: one line names them all. */
export function missingSandboxPackages(settings: SandboxSettings): string[] {
  const parts: OptionalPart[] = [];
  if (/^postgres(ql)?:\/\//i.test(settings.store)) parts.push("postgresStore");
  if (settings.metrics) parts.push("metrics");
  if (settings.log === "json") parts.push("jsonLogs");
  if (settings.uploadsUrl !== undefined) parts.push("storageSdk");
  return [...new Set(parts.flatMap(missingPackages))];
}
