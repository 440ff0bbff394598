import { parseArgs } from "node:util";
import { specValidators } from "../../validation/spec-validators.js";
import { helpOption, parseLevel, UsageError, withUsageErrors } from "../args.js";
import { readInputFile, readInputStream } from "../files.js";
import type { CliStreams } from "../streams.js";

export const validateUsage = `Usage: sds-kit validate <operationId> request <file|-> [--level documented|observed|kit]
       sds-kit validate <operationId> response <status> <file|-> [--level documented|observed|kit]

Validates a JSON payload against the spec: a request body, or a response body of a declared
status. Prints one line per broken rule, with its JSON path and where the rule comes from, and
exits 1 when there is any; prints nothing on stdout and exits 0 when the payload is valid.

Options:
  --level LEVEL            documented: only what Microsoft documented; observed: and what the live
                           service was seen to do; kit (the default): and the kit's decisions
  -h, --help               Show this help

Examples:
  sds-kit validate createSynchronizationProfile request profile.json
  curl -s ... | sds-kit validate getSynchronizationProfileStatus response 200 -
  sds-kit validate startSynchronizationProfile response 400 messages.json --level documented
`;

export async function runValidate(
  args: string[],
  streams: CliStreams,
  stdin: () => Promise<string> = readStdin,
): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { level: { type: "string" }, ...helpOption } }),
  );
  if (values.help) {
    streams.stdout.write(validateUsage);
    return 0;
  }
  const level = parseLevel(values.level);
  const [operationId, kind, ...rest] = positionals;
  if (operationId === undefined || kind === undefined)
    throw new UsageError("give an operationId, request or response, and a file (sds-kit validate --help)");
  const validators = specValidators();
  let operation: ReturnType<typeof validators.operation>;
  try {
    operation = validators.operation(operationId);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (kind !== "request" && kind !== "response") throw new UsageError(`say request or response, got '${kind}'`);
  const [status, file] = kind === "response" ? rest : [undefined, ...rest];
  if (kind === "response" && (status === undefined || !/^\d{3}$/.test(status)))
    throw new UsageError(`a response needs its status: ${Object.keys(operation.responses).join(", ")}`);
  if (file === undefined || rest.length > (kind === "response" ? 2 : 1))
    throw new UsageError("name one file, or - for standard input");
  if (kind === "request" && !operation.requestBody) throw new UsageError(`${operationId} takes no request body`);
  if (kind === "response" && !operation.responses[status ?? ""]?.content)
    throw new UsageError(
      `${operationId} declares no ${status} response with a body; with one: ${Object.entries(operation.responses)
        .filter(([, response]) => response.content)
        .map(([s]) => s)
        .join(", ")}`,
    );

  const text = file === "-" ? await stdin() : readInputFile(file, "payload");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file === "-" ? "standard input" : file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const violations =
    kind === "request"
      ? validators.validateRequestBody(operationId, payload, { level })
      : validators.validateResponseBody(operationId, status ?? "", payload, { level });
  for (const violation of violations) {
    const path = `$${violation.path
      .split("/")
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
      .join("")}`;
    streams.stdout.write(`${path}: ${violation.message}${violation.source ? ` [${violation.source}]` : ""}\n`);
  }
  streams.stderr.write(
    `sds-kit validate: ${operationId} ${kind}${status ? ` ${status}` : ""}: ${violations.length === 0 ? "valid" : `${violations.length} violation(s)`} at the ${level} level\n`,
  );
  return violations.length === 0 ? 0 : 1;
}

function readStdin(): Promise<string> {
  return readInputStream(process.stdin, "standard input");
}
