import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { MissingPartError } from "../parts/optional-parts.js";
import { UsageError } from "./args.js";
import type { CliStreams } from "./streams.js";

export type { CliStreams } from "./streams.js";

interface Command {
  summary: string;
  run(args: string[], streams: CliStreams): Promise<number>;
}

const commands: Record<string, Command> = {
  // Each command loads its own modules, so `sds-kit simulate` starts without Prism's wiring.
  mock: {
    summary: "Serve the spec with Prism, answering like Graph",
    run: async (args, streams) => (await import("./commands/mock.js")).runMock(args, streams),
  },
  fixtures: {
    summary: "Generate valid or deliberately invalid payloads from the spec",
    run: async (args, streams) => (await import("./commands/fixtures.js")).runFixtures(args, streams),
  },
  "check-pact": {
    summary: "Check pact files against the spec, matching rules included",
    run: async (args, streams) => (await import("./commands/check-pact.js")).runCheckPact(args, streams),
  },
  verify: {
    summary: "Verify pact files against a running provider",
    run: async (args, streams) => (await import("./commands/verify.js")).runVerify(args, streams),
  },
  token: {
    summary: "Print a test token the simulator accepts",
    run: async (args, streams) => (await import("./commands/token.js")).runToken(args, streams),
  },
  validate: {
    summary: "Validate a request or response payload against the spec",
    run: async (args, streams) => (await import("./commands/validate.js")).runValidate(args, streams),
  },
  conform: {
    summary: "Check any server against the documented behaviour of the API",
    run: async (args, streams) => (await import("./commands/conform.js")).runConform(args, streams),
  },
  simulate: {
    summary: "Serve the stateful lifecycle simulator",
    run: async (args, streams) => (await import("./commands/simulate.js")).runSimulate(args, streams),
  },
  docs: {
    summary: "Build the documentation site: reference, decisions, lifecycle",
    run: async (args, streams) => (await import("./commands/docs.js")).runDocs(args, streams),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

function usage(): string {
  const names = Object.entries(commands);
  const lines = [
    "Usage: sds-kit <command> [options]",
    "",
    "Contract tests, mocks and fixtures for the Microsoft Graph School Data Sync synchronization profile API.",
    "",
    "Commands:",
    ...names.map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`),
    "",
    "Options:",
    "  -h, --help     Show this help",
    "  -v, --version  Show the version",
    "",
    "Run 'sds-kit <command> --help' for a command's options.",
    "",
  ];
  return lines.join("\n");
}

/** Runs the CLI and returns the exit code; never throws for a user's mistake. */
export async function runCli(args: string[], streams: CliStreams): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    streams.stderr.write(usage());
    return 2;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    streams.stdout.write(usage());
    return 0;
  }
  if (first === "-v" || first === "--version") {
    streams.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = commands[first];
  if (!command) {
    streams.stderr.write(`sds-kit: unknown command '${first}'. Run 'sds-kit --help' for the list.\n`);
    return 2;
  }
  try {
    return await command.run(rest, streams);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`sds-kit ${first}: ${message.split("\n")[0]}\n`);
    return error instanceof UsageError || error instanceof MissingPartError ? 2 : 1;
  }
}
