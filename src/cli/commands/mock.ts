import { parseArgs } from "node:util";
import { startPrismMock } from "../../../mocks/prism/start-prism-mock.js";
import { PortInUseError } from "../../http/listen.js";
import { CertificateSetupError } from "../../http/local-certificate.js";
import {
  exposureWarning,
  helpOption,
  httpsUsage,
  listenOptions,
  parseHttps,
  parsePort,
  parseTimeouts,
  timeoutUsage,
  trustLine,
  UsageError,
  withUsageErrors,
} from "../args.js";
import { drainMs, drainUnlessSignalledAgain, untilStopped } from "../signals.js";
import type { CliStreams } from "../streams.js";

export const mockUsage = `Usage: sds-kit mock [--port N] [--host H] [--https] [--dynamic] [--seed S] [--no-admin]

Serves the spec with Prism behind a Graph façade: the spec's examples by default, chosen with the
Prefer header (code=<status>, example=<name>); generated data with --dynamic. The documentation
site (sds-kit docs) is at /_sds/docs/.

Options:
  --port N                 Port to listen on (default 4010; 0 picks a free port)
  --host H                 Interface to bind (default 127.0.0.1; anything else prints a warning)
${httpsUsage}
${timeoutUsage}
  --dynamic                Generate responses from the schemas instead of serving examples
  --seed S                 Seed for --dynamic: the same seed gives the same responses
  --no-admin               Serve nothing under /_sds (the documentation site)
  -h, --help               Show this help

On SIGINT or SIGTERM it stops accepting connections, lets the requests in flight finish (for at
most ${drainMs / 1000} s; a second signal stops at once), stops Prism and exits 0. If Prism exits on
its own, it says so in one line and exits 1.

Examples:
  sds-kit mock
  curl -H "Prefer: code=400" -X POST http://127.0.0.1:4010/education/synchronizationProfiles
  sds-kit mock --dynamic --seed 7 --port 0
  sds-kit mock --https-dir .sds-tls     # then NODE_EXTRA_CA_CERTS=.sds-tls/ca.pem for your tests
`;

export async function runMock(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        ...listenOptions,
        dynamic: { type: "boolean" },
        seed: { type: "string" },
        "no-admin": { type: "boolean" },
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(mockUsage);
    return 0;
  }
  if (values.seed !== undefined && !values.dynamic) throw new UsageError("--seed only applies with --dynamic");
  const host = values.host ?? "127.0.0.1";
  const port = parsePort(values.port, 4010);
  const timeouts = parseTimeouts(values);

  let mock: Awaited<ReturnType<typeof startPrismMock>>;
  try {
    const https = parseHttps(values);
    mock = await startPrismMock({
      host,
      port,
      timeouts,
      dynamic: values.dynamic === true,
      seed: values.seed,
      admin: values["no-admin"] ? false : "/_sds",
      ...(https === undefined ? {} : { https }),
    });
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof CertificateSetupError) throw new UsageError(error.message);
    throw error;
  }
  const mode = values.dynamic ? `dynamic${values.seed === undefined ? "" : `, seed ${values.seed}`}` : "examples";
  streams.stderr.write(exposureWarning("mock", host, "the mock, which accepts any bearer token"));
  // Before the listening line, which scripts wait for: by then they know what to trust.
  streams.stdout.write(trustLine(mock.caCertificatePath));
  streams.stdout.write(`Prism mock (${mode}, Prism PID ${mock.prismPid}) listening on ${mock.url}\n`);

  const outcome = await Promise.race([
    untilStopped().then((signal) => ({ signal })),
    mock.exited.then((reason) => ({ reason })),
  ]);
  if ("reason" in outcome) {
    await mock.close();
    streams.stderr.write(`sds-kit mock: ${outcome.reason.split("\n")[0]}\n`);
    return 1;
  }
  await drainUnlessSignalledAgain((abort) => mock.close({ drainMs, abort }));
  streams.stdout.write(`stopped (${outcome.signal})\n`);
  return 0;
}
