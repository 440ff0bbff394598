import { parseArgs } from "node:util";
import { AzuriteStartError } from "../../../mocks/simulator/azurite.js";
import { StoreClockError } from "../../../mocks/simulator/simulator-state.js";
import { defaultHttpUploads, startSimulator } from "../../../mocks/simulator/start-simulator.js";
import { NewerSchemaError } from "../../../mocks/simulator/stores/migrations.js";
import { StoreSpecError } from "../../../mocks/simulator/stores/open-store.js";
import { PortInUseError } from "../../http/listen.js";
import { CertificateSetupError } from "../../http/local-certificate.js";
import { missingPackages } from "../../parts/optional-parts.js";
import { helpOption, UsageError, withUsageErrors } from "../args.js";
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
                           nothing to install); default SDS_STORE_URL when set
  -h, --help               Show this help

On SIGINT or SIGTERM it stops accepting connections, lets the requests in flight finish (for at
most ${drainMs / 1000} s; a second signal stops at once), stops Azurite and exits 0.

Examples:
  sds-kit simulate
  sds-kit simulate --clock virtual --port 0 --seed 42
  sds-kit simulate --throttle-rate 0.2 --retry-after 1 --enforce-retry-after
  sds-kit simulate --https-dir .sds-tls  # then NODE_EXTRA_CA_CERTS=.sds-tls/ca.pem for the Graph SDK
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

export async function runSimulate(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      options: {
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
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(simulateUsage);
    return 0;
  }
  if (values.clock !== undefined && values.clock !== "real" && values.clock !== "virtual") {
    throw new UsageError(`--clock must be real or virtual, got '${values.clock}'`);
  }
  if (values.uploads !== undefined && values.uploads !== "azurite" && values.uploads !== "off") {
    throw new UsageError(`--uploads must be azurite or off, got '${values.uploads}'`);
  }
  const uploadsPort = values["uploads-port"] === undefined ? undefined : parsePort(values["uploads-port"], 0);
  const rate = { min: 0, max: 1, integer: false };
  const host = values.host ?? defaultHost;
  const port = parsePort(values.port, defaultPorts.simulate);
  const seed = values.seed ?? "1";
  const timing = {
    provisioningMs: number("provisioning-ms", values["provisioning-ms"]),
    syncPhaseMs: number("sync-phase-ms", values["sync-phase-ms"]),
    deletionMs: number("deletion-ms", values["deletion-ms"]),
  };
  const https = parseHttps(values);
  const uploadsByDefault = defaultHttpUploads();
  const timeouts = parseTimeouts(values);
  let running: Awaited<ReturnType<typeof startSimulator>>;
  try {
    running = await startSimulator({
      ...(https === undefined ? {} : { https }),
      host,
      port,
      timeouts,
      seed,
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
      admin: values["no-admin"] ? false : "/_sds",
      // No --uploads: Azurite where it is installed (an optional part), else off.
      uploads:
        values.uploads === "off"
          ? "off"
          : values.uploads === "azurite" || uploadsPort !== undefined
            ? "azurite"
            : uploadsByDefault,
      ...(uploadsPort === undefined ? {} : { uploadsPort }),
      store: values.store ?? process.env.SDS_STORE_URL ?? "memory",
      onContractViolation: (violation) =>
        streams.stderr.write(
          `sds-kit simulate: strict mode: ${violation.operationId} ${violation.status} broke the spec\n`,
        ),
    });
  } catch (error) {
    if (
      error instanceof PortInUseError ||
      error instanceof CertificateSetupError ||
      error instanceof StoreSpecError ||
      error instanceof StoreClockError ||
      error instanceof NewerSchemaError
    )
      throw new UsageError(error.message);
    throw error;
  }
  if (uploadsPort !== undefined && values.uploads !== "off") {
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
  if (values.uploads === undefined && uploadsPort === undefined && uploadsByDefault === "off")
    streams.stderr.write(
      `sds-kit simulate: CSV uploads are off (an upload URL nothing answers); for real ones: npm install --save-dev ${missingPackages("azurite").join(" ")}\n`,
    );
  return serveUntilStopped(
    {
      command: "simulate",
      host,
      exposes: values["no-admin"]
        ? "the simulator, which checks no token's signature"
        : "the simulator, which checks no token's signature, and its admin API (/_sds), which takes no token (--no-admin turns it off)",
      caCertificatePath: running.caCertificatePath,
      listening: `Simulator (seed ${seed}, ${running.clock.mode} clock) listening on ${running.url}`,
      close: (options) => running.close(options),
    },
    streams,
  );
}
