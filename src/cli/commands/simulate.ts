import { parseArgs } from "node:util";
import { AzuriteStartError } from "../../../mocks/simulator/azurite.js";
import { UploadsUrlError } from "../../../mocks/simulator/blob-uploads.js";
import { StoreClockError } from "../../../mocks/simulator/simulator-state.js";
import {
  defaultHttpUploads,
  type StartSimulatorOptions,
  startSimulator,
} from "../../../mocks/simulator/start-simulator.js";
import { NewerSchemaError } from "../../../mocks/simulator/stores/migrations.js";
import { StoreSpecError } from "../../../mocks/simulator/stores/open-store.js";
import { PortInUseError } from "../../http/listen.js";
import { CertificateSetupError } from "../../http/local-certificate.js";
import { missingPackages } from "../../parts/optional-parts.js";
import { helpOption, UsageError, withUsageErrors } from "../args.js";
import { jsonRequestLog } from "../request-log.js";
import {
  missingSandboxPackages,
  readSandboxSettings,
  type SandboxSettings,
  sandboxVariables,
} from "../sandbox-settings.js";
import {
  defaultHost,
  defaultPorts,
  httpsUsage,
  listenOptions,
  listenUsage,
  parseHttps,
  parsePort,
  parseTimeouts,
  serveUntilStopped,
  timeoutUsage,
} from "../serve.js";
import { drainMs } from "../signals.js";
import type { CliStreams } from "../streams.js";

export const simulateUsage = `Usage: sds-kit simulate [options]

Serves the stateful simulator: profiles are provisioned, synced and deleted over time, tokens are
checked for scopes, errors are Graph's, and faults can be injected, all reproducibly from a seed.

Options:
${listenUsage(defaultPorts.simulate)}
${httpsUsage}
${timeoutUsage}
  --seed S                 Seed for ids, failure draws and faults (default 1)
  --clock real|virtual     Virtual time moves only through POST /_sds/clock/advance (default real)
  --provisioning-ms N      Time from create to provisioned (default 2000)
  --sync-phase-ms N        Time each sync phase takes: extracting, validating, inProgress (default 2000)
  --deletion-ms N          Time from delete to gone (default 1000)
  --provisioning-reads N   Also finish provisioning after N reads of the profile or its status
  --failure-rate R         Share of new profiles whose provisioning fails (0 to 1)
  --throttle-rate R        Share of requests answered 429 (0 to 1)
  --retry-after S          Seconds in Retry-After (default 2)
  --enforce-retry-after    Answer 429 again to requests sent before Retry-After has passed
  --error-rate R           Share of requests answered 500, 503 or 504 (0 to 1)
  --latency-ms N           Added to every response
  --max-profiles N         Profiles one tenant may hold (default 1000)
  --strict                 Validate every response against the spec (a violation is a 500)
  --no-auth                Accept requests without a token
  --no-admin               Turn off the /_sds admin API (it takes no token, and refuses a request that
                           carries one) and the documentation site at /_sds/docs/
  --uploads azurite|off    CSV uploads to a real blob endpoint (Azurite, started on the first upload URL;
                           start verifies the files), or off: an upload URL nothing answers (default
                           azurite when azurite and @azure/storage-blob are installed, else off)
  --uploads-port N         Azurite's port (default: any free one); given, Azurite starts with the simulator
  --store SPEC             Where profiles live: memory (the default), postgres://user:pass@host:port/db
                           (one database any number of replicas share), or sqlite:<file> (one instance,
                           nothing to install). A database store makes this a sandbox (below)
  --uploads-url URL        A blob endpoint that runs on its own, shared by every replica: a storage
                           connection string with its AccountKey, or an Azurite account URL
                           (http://host:10000/devstoreaccount1)
  --admin-token T          The admin API needs this token in X-Sds-Admin-Token (16 characters or more)
  --metrics                Prometheus metrics at /_sds/metrics (needs prom-client; on in a sandbox)
  --log json|off           One JSON line per request on stdout (needs pino; default json in a sandbox)
  -h, --help               Show this help

A sandbox (a database store) keeps profiles across restarts and replicas, needs the real clock,
draws profile ids at random, serves /_sds/health, /_sds/ready and /_sds/metrics, logs JSON, and
turns the admin API off unless --admin-token is given. Each flag above can come from a variable
instead: ${Object.entries(sandboxVariables)
  .map(([, name]) => name)
  .join(", ")} (a flag wins). docs/sandbox.md has the rest.

On SIGINT or SIGTERM it stops accepting connections, lets the requests in flight finish (for at
most ${drainMs / 1000} s; a second signal stops at once), stops Azurite and exits 0.

Examples:
  sds-kit simulate
  sds-kit simulate --clock virtual --port 0 --seed 42
  sds-kit simulate --throttle-rate 0.2 --retry-after 1 --enforce-retry-after
  sds-kit simulate --https-dir .sds-tls  # then NODE_EXTRA_CA_CERTS=.sds-tls/ca.pem for the Graph SDK
  sds-kit simulate --store sqlite:./sandbox.db
  SDS_STORE_URL=postgres://sds:secret@db:5432/sds SDS_ADMIN_TOKEN=... sds-kit simulate --host 0.0.0.0
`;

function number(
  name: string,
  value: string | undefined,
  { min = 0, max = Number.POSITIVE_INFINITY, integer = true } = {},
) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got '${value}'`,
    );
  }
  return n;
}

const simulateOptions = {
  ...listenOptions,
  seed: { type: "string" },
  clock: { type: "string" },
  "provisioning-ms": { type: "string" },
  "sync-phase-ms": { type: "string" },
  "deletion-ms": { type: "string" },
  "provisioning-reads": { type: "string" },
  "failure-rate": { type: "string" },
  "throttle-rate": { type: "string" },
  "retry-after": { type: "string" },
  "enforce-retry-after": { type: "boolean" },
  "error-rate": { type: "string" },
  "latency-ms": { type: "string" },
  "max-profiles": { type: "string" },
  strict: { type: "boolean" },
  "no-auth": { type: "boolean" },
  "no-admin": { type: "boolean" },
  uploads: { type: "string" },
  "uploads-port": { type: "string" },
  store: { type: "string" },
  "uploads-url": { type: "string" },
  "admin-token": { type: "string" },
  metrics: { type: "boolean" },
  log: { type: "string" },
  ...helpOption,
} as const;

type SimulateValues = ReturnType<typeof parseArgs<{ options: typeof simulateOptions; strict: true }>>["values"];

/** The simulator's behaviour as the flags ask for it: timing, failure draws, faults and limits. */
function behaviourOptions(values: SimulateValues): Partial<StartSimulatorOptions> {
  const rate = { min: 0, max: 1, integer: false };
  const timing = {
    provisioningMs: number("provisioning-ms", values["provisioning-ms"]),
    syncPhaseMs: number("sync-phase-ms", values["sync-phase-ms"]),
    deletionMs: number("deletion-ms", values["deletion-ms"]),
  };
  return {
    clock: values.clock === "virtual" ? "virtual" : "real",
    timing: Object.fromEntries(Object.entries(timing).filter(([, v]) => v !== undefined)),
    provisioningReads: number("provisioning-reads", values["provisioning-reads"], { min: 1 }),
    provisioningFailureRate: number("failure-rate", values["failure-rate"], rate),
    faults: {
      throttleRate: number("throttle-rate", values["throttle-rate"], rate),
      retryAfterSeconds: number("retry-after", values["retry-after"], { min: 0, max: 3600, integer: false }),
      enforceRetryAfter: values["enforce-retry-after"] === true,
      errorRate: number("error-rate", values["error-rate"], rate),
      latencyMs: number("latency-ms", values["latency-ms"], { max: 60_000 }),
    },
    limits: { maxProfilesPerTenant: number("max-profiles", values["max-profiles"], { min: 1 }) ?? 1000 },
    strict: values.strict === true,
    auth: values["no-auth"] !== true,
  };
}

/** Where CSV files go: a shared endpoint, Azurite (where it is installed, unless told off), or nowhere. */
function uploadOptions(values: SimulateValues, settings: SandboxSettings): Partial<StartSimulatorOptions> {
  if (settings.uploadsUrl !== undefined) {
    if (values.uploads !== undefined || values["uploads-port"] !== undefined)
      throw new UsageError("--uploads-url is a blob endpoint of its own: leave out --uploads and --uploads-port");
    return { uploadsUrl: settings.uploadsUrl };
  }
  if (values.uploads !== undefined && values.uploads !== "azurite" && values.uploads !== "off")
    throw new UsageError(`--uploads must be azurite or off, got '${values.uploads}'`);
  const uploadsPort = values["uploads-port"] === undefined ? undefined : parsePort(values["uploads-port"], 0);
  return {
    uploads:
      values.uploads === "off"
        ? "off"
        : values.uploads === "azurite" || uploadsPort !== undefined
          ? "azurite"
          : defaultHttpUploads(),
    ...(uploadsPort === undefined ? {} : { uploadsPort }),
  };
}

/** The port from --port, else SDS_PORT, else the command's own; a bad one is named by where it came from. */
function listenPort(values: SimulateValues, settings: SandboxSettings): number {
  if (values.port !== undefined || settings.port === undefined) return parsePort(values.port, defaultPorts.simulate);
  try {
    return parsePort(settings.port, defaultPorts.simulate);
  } catch (error) {
    throw new UsageError((error as Error).message.replace("--port", sandboxVariables.port));
  }
}

/** Errors of the options that are the user's to fix: one line, exit 2. */
const usageMistakes = [
  PortInUseError,
  CertificateSetupError,
  StoreSpecError,
  StoreClockError,
  NewerSchemaError,
  UploadsUrlError,
  AzuriteStartError,
];

export async function runSimulate(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() => parseArgs({ args, strict: true, options: simulateOptions }));
  if (values.help) {
    streams.stdout.write(simulateUsage);
    return 0;
  }
  if (values.clock !== undefined && values.clock !== "real" && values.clock !== "virtual") {
    throw new UsageError(`--clock must be real or virtual, got '${values.clock}'`);
  }
  const settings = readSandboxSettings(values, process.env);
  const missing = missingSandboxPackages(settings);
  if (missing.length > 0)
    throw new UsageError(
      `${settings.sandbox ? `the sandbox (--store ${settings.store.split(":")[0]})` : "these options"} need ${missing.join(" and ")}: npm install --save-dev ${missing.join(" ")}`,
    );
  const host = settings.host ?? defaultHost;
  const seed = values.seed ?? "1";
  const uploads = uploadOptions(values, settings);
  const log = settings.log === "json" ? await jsonRequestLog(streams.stdout, "sds-kit-simulate") : undefined;
  let running: Awaited<ReturnType<typeof startSimulator>>;
  try {
    running = await startSimulator({
      ...behaviourOptions(values),
      ...uploads,
      ...(parseHttps(values) === undefined ? {} : { https: parseHttps(values) }),
      host,
      port: listenPort(values, settings),
      timeouts: parseTimeouts(values),
      seed,
      admin: settings.admin ? "/_sds" : false,
      ...(settings.adminToken === undefined ? {} : { adminToken: settings.adminToken }),
      monitoring: settings.monitoring,
      metrics: settings.metrics,
      ...(log ? { onRequest: log } : {}),
      store: settings.store,
      onContractViolation: (violation) =>
        streams.stderr.write(
          `sds-kit simulate: strict mode: ${violation.operationId} ${violation.status} broke the spec\n`,
        ),
    });
  } catch (error) {
    if (usageMistakes.some((mistake) => error instanceof mistake)) throw new UsageError((error as Error).message);
    throw error;
  }
  if (uploads.uploadsPort !== undefined && uploads.uploads === "azurite") {
    // A port of the user's choosing is checked now, not at the first upload URL.
    try {
      await running.simulator.startUploads();
    } catch (error) {
      await running.close();
      if (error instanceof AzuriteStartError) throw new UsageError(error.message);
      throw error;
    }
  }
  // Said once the simulator is up, so that a failure to start stays one line.
  if (values.uploads === undefined && values["uploads-port"] === undefined && uploads.uploads === "off")
    streams.stderr.write(
      `sds-kit simulate: CSV uploads are off (an upload URL nothing answers); for real ones: npm install --save-dev ${missingPackages("azurite").join(" ")}\n`,
    );
  if (settings.sandbox && !settings.admin && values["no-admin"] !== true)
    streams.stderr.write(
      `sds-kit simulate: the admin API is off in a sandbox; give --admin-token (or ${sandboxVariables.adminToken}) to turn it on\n`,
    );
  return serveUntilStopped(
    {
      command: "simulate",
      host,
      exposes: exposureOf(settings),
      caCertificatePath: running.caCertificatePath,
      listening: `Simulator (seed ${seed}, ${running.clock.mode} clock, ${running.simulator.store.kind} store) listening on ${running.url}`,
      close: (options) => running.close(options),
    },
    streams,
  );
}

/** What a listener beyond loopback lets others reach, for the warning. */
function exposureOf(settings: SandboxSettings): string {
  const simulator = "the simulator, which checks no token's signature";
  if (!settings.admin) return settings.monitoring ? `${simulator}, and its health, readiness and metrics` : simulator;
  return settings.adminToken === undefined
    ? `${simulator}, and its admin API (/_sds), which takes no token (--no-admin turns it off)`
    : `${simulator}, and its admin API (/_sds), behind the admin token`;
}
