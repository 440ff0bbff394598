import { parseArgs } from "node:util";
import { startPrismMock } from "../../../mocks/prism/start-prism-mock.js";
import { PortInUseError } from "../../http/listen.js";
import { CertificateSetupError } from "../../http/local-certificate.js";
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

export const mockUsage = `Usage: sds-kit mock [--port N] [--host H] [--https] [--dynamic] [--seed S] [--no-admin]

Serves the spec with Prism behind a Graph façade: the spec's examples by default, chosen with the
Prefer header (code=<status>, example=<name>); generated data with --dynamic. The documentation
site (sds-kit docs) is at /_sds/docs/.

Options:
${listenUsage(defaultPorts.mock)}
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
  const host = values.host ?? defaultHost;
  const port = parsePort(values.port, defaultPorts.mock);
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
  return serveUntilStopped(
    {
      command: "mock",
      host,
      exposes: "the mock, which accepts any bearer token",
      caCertificatePath: mock.caCertificatePath,
      listening: `Prism mock (${mode}, Prism PID ${mock.prismPid}) listening on ${mock.url}`,
      close: (options) => mock.close(options),
      exited: mock.exited,
    },
    streams,
  );
}
