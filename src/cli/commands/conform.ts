import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import {
  conformanceSummary,
  formatConformanceJson,
  formatConformanceJunit,
  formatConformanceText,
} from "../../conform/conformance-report.js";
import { type ConformanceGroup, conformanceGroups, runConformance } from "../../conform/run-conformance.js";
import { helpOption, parseLevel, UsageError, withUsageErrors } from "../args.js";
import { checkOutputFile, writeOutputFile } from "../files.js";
import type { CliStreams } from "../streams.js";

export const conformUsage = `Usage: sds-kit conform --base-url URL [options]

Checks any server (a stand-in of your own, a mock, the real service in a test tenant) against the
documented behaviour of the synchronization profile API. It needs no admin API and no provider
states: it creates the profiles it needs, drives them through create, provisioning, reads, the
CSV operations and delete, judges every answer against the spec at --level, and deletes what it
created, also when a check fails. Exit code 1 on any failed check.

Options:
  --base-url URL           Where the API lives: http://127.0.0.1:4011, https://graph.microsoft.com/beta (required)
  --token T                The bearer token to send (default: a test token, which the kit's mocks accept)
  --token-command CMD      A shell command whose output is the token (az account get-access-token …)
  --level LEVEL            documented (the default): what Microsoft documented; observed: and what
                           the live service was seen to do; kit: and the kit's decisions
  --timeout S              Seconds a profile may take to settle after create or delete (default 60)
  --only GROUP             Only this group; repeat for more (${conformanceGroups.join(", ")})
  --format text|json|junit One line per check (default), the report as JSON, or JUnit XML
  --out FILE               Write the report to FILE instead of stdout
  -h, --help               Show this help

Examples:
  sds-kit conform --base-url http://127.0.0.1:4011 --level kit
  sds-kit conform --base-url http://127.0.0.1:4010 --only create --only errors
  sds-kit conform --base-url http://localhost:8080/beta --format junit --out conform.xml
  NODE_EXTRA_CA_CERTS=.sds-tls/ca.pem sds-kit conform --base-url https://127.0.0.1:4011
`;

export async function runConform(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        "base-url": { type: "string" },
        token: { type: "string" },
        "token-command": { type: "string" },
        level: { type: "string" },
        timeout: { type: "string" },
        only: { type: "string", multiple: true },
        format: { type: "string" },
        out: { type: "string" },
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(conformUsage);
    return 0;
  }
  const baseUrl = values["base-url"];
  if (!baseUrl) throw new UsageError("--base-url is required");
  if (!/^https?:\/\/[^/]+/.test(baseUrl) || !URL.canParse(baseUrl))
    throw new UsageError(`'${baseUrl}' is not an http(s) URL`);
  if (values.token !== undefined && values["token-command"] !== undefined)
    throw new UsageError("give --token or --token-command, not both");
  const level = values.level === undefined ? "documented" : parseLevel(values.level);
  const timeout = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new UsageError(`--timeout must be a number of seconds from 1 to 3600, got '${values.timeout}'`);
  const only = values.only?.map((group) => {
    if (!(conformanceGroups as readonly string[]).includes(group))
      throw new UsageError(`--only takes ${conformanceGroups.join(", ")}, got '${group}'`);
    return group as ConformanceGroup;
  });
  const format = values.format ?? "text";
  if (!["text", "json", "junit"].includes(format))
    throw new UsageError(`--format must be text, json or junit, got '${format}'`);

  // A report that cannot be written is found now, not after the run.
  if (values.out !== undefined) checkOutputFile(values.out, "the report to");

  let token = values.token;
  const command = values["token-command"];
  if (command !== undefined) {
    try {
      token = (await promisify(execFile)("sh", ["-c", command])).stdout.trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim().split("\n")[0];
      throw new UsageError(
        `--token-command failed: ${stderr || (error instanceof Error ? error.message : String(error))}`,
      );
    }
    if (token === "") throw new UsageError("--token-command printed no token");
  }

  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance({
      baseUrl,
      level,
      timeoutMs: timeout * 1000,
      ...(token === undefined ? {} : { token }),
      ...(only === undefined ? {} : { only }),
      onGroup: (group, results) => {
        if (!streams.stderr.isTTY) return;
        const failed = results.filter((r) => r.status === "failed").length;
        const skipped = results.filter((r) => r.status === "skipped").length;
        streams.stderr.write(
          `${group}: ${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped\n`,
        );
      },
    });
  } catch (error) {
    // A server that cannot be reached is one line, not a stack.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    streams.stderr.write(`sds-kit conform: cannot reach ${baseUrl}${cause || `: ${String(error)}`}\n`);
    return 1;
  }
  const rendered =
    format === "json"
      ? formatConformanceJson(report)
      : format === "junit"
        ? formatConformanceJunit(report)
        : formatConformanceText(report);
  if (values.out !== undefined) writeOutputFile(values.out, rendered, "the report to");
  else streams.stdout.write(rendered);
  streams.stderr.write(`${conformanceSummary(report)}\n`);
  return report.failed > 0 ? 1 : 0;
}
