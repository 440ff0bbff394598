import { parseArgs } from "node:util";
import { PactFileError, readPact } from "../../pact/pact-file.js";
import { kitPactFiles, SpecConformanceError, verifyProvider } from "../../pact/verify-provider.js";
import { requirePart } from "../../parts/optional-parts.js";
import { helpOption, parseLevel, UsageError, withUsageErrors } from "../args.js";
import { readInputFile } from "../files.js";
import type { CliStreams } from "../streams.js";

export const verifyUsage = `Usage: sds-kit verify --provider-base-url URL [--pact FILE]... [options]

Verifies pact files (the kit's own, or your team's) against a running provider, with no state
handlers to write: each interaction is set up on its own through the simulator's admin API
(/_sds) at the provider, or at --states-url, from its provider states (the kit's vocabulary of
sentences) and from what its request and expected response imply. One line per interaction says
what was set up and why. A request filter puts a valid token in place of each pact's example one. Every response is also judged
against the spec at --level: kit (the default) holds the kit's decisions too, for the kit's own
mocks; documented holds only what Microsoft documented, for a real or third-party provider.

Options:
  --provider-base-url URL  The provider's origin (required)
  --pact FILE              A pact file to verify; repeat for more (default: contracts/pacts/*.json)
  --states-url URL         Where the /_sds admin API that sets up provider states lives
  --token TOKEN            The bearer token to send (default: a test token with every permission)
  --level LEVEL            How strictly responses are judged: documented, observed or kit (default)
  --states admin-api|prefer  How states are set up: the simulator's admin API (default), or
                           Prefer headers for a stateless mock (the Prism mock), naming first
                           what it cannot satisfy
  --no-infer-states        Set up only what the states' sentences say, nothing read from the interactions
  -h, --help               Show this help

Examples:
  sds-kit verify --provider-base-url http://127.0.0.1:4011
  sds-kit verify --provider-base-url http://127.0.0.1:4011 --pact pacts/my-app-sds.json
  sds-kit verify --provider-base-url http://127.0.0.1:4010 --states prefer
  sds-kit verify --provider-base-url https://stand-in.example.test --states-url http://127.0.0.1:4011 --level documented
`;

export async function runVerify(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        "provider-base-url": { type: "string" },
        pact: { type: "string", multiple: true },
        "states-url": { type: "string" },
        token: { type: "string" },
        level: { type: "string" },
        states: { type: "string" },
        "no-infer-states": { type: "boolean" },
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(verifyUsage);
    return 0;
  }
  const base = values["provider-base-url"];
  if (!base) throw new UsageError("--provider-base-url is required");
  for (const url of [base, values["states-url"]]) {
    if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`'${url}' is not an http(s) URL`);
  }
  const level = parseLevel(values.level);
  const states = values.states ?? "admin-api";
  if (states !== "admin-api" && states !== "prefer")
    throw new UsageError(`--states must be admin-api or prefer, got '${states}'`);
  // Pact is an optional part: missing, it is one line before any pact is read or provider called.
  requirePart("pact");
  const pactFiles = values.pact ?? kitPactFiles();
  // Each file is read and parsed here first, so a bad one is one line, not the verifier's report.
  for (const file of pactFiles) {
    try {
      readPact(readInputFile(file, "pact file"), file);
    } catch (error) {
      if (error instanceof PactFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  process.env.PACT_DO_NOT_TRACK ??= "true";
  try {
    await verifyProvider({
      providerBaseUrl: base,
      pactFiles,
      token: values.token,
      statesUrl: values["states-url"],
      level,
      states,
      inferStates: values["no-infer-states"] !== true,
      report: (line) => streams.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof SpecConformanceError) {
      streams.stderr.write(`${error.message}\nsds-kit verify: the pacts passed, but the provider broke the spec\n`);
      return 1;
    }
    const failed = /There were (\d+) pact failures/.exec(String(error instanceof Error ? error.message : error));
    streams.stderr.write(
      `sds-kit verify: ${failed ? `${failed[1]} interaction(s) failed; the report above says which and why` : String(error instanceof Error ? error.message.split("\n")[0] : error)}\n`,
    );
    return 1;
  }
  streams.stdout.write(
    `sds-kit verify: every interaction of ${pactFiles.length} pact file(s) passed against ${base}, and every response met the spec at the ${level} level\n`,
  );
  return 0;
}
