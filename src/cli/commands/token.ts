import { parseArgs } from "node:util";
import { createTestToken } from "../../auth/test-token.js";
import { helpOption, UsageError, withUsageErrors } from "../args.js";
import type { CliStreams } from "../streams.js";

export const tokenUsage = `Usage: sds-kit token [--scopes S]... [--roles R]... [--tenant ID] [--expires-in S]

Prints a test token that the kit's simulator accepts: an unsigned JWT carrying the claims the
simulator checks (delegated permissions in scp, application permissions in roles, the tenant in
tid, an expiry in exp). It is not a real Microsoft token; the Prism mock takes any bearer token.

Options:
  --scopes S        Delegated permissions, repeatable or comma-separated (default EduAdministration.ReadWrite)
  --roles R         Application permissions, repeatable or comma-separated (e.g. EduAdministration.ReadWrite.All)
  --tenant ID       The tenant (tid); each tenant's profiles are kept apart (default 00000000-0000-0000-0000-000000000000)
  --expires-in S    Seconds from now after which the simulator refuses it (default: it never expires)
  -h, --help        Show this help

Examples:
  curl -H "Authorization: Bearer $(sds-kit token)" http://127.0.0.1:4011/beta/education/synchronizationProfiles
  sds-kit token --roles EduAdministration.ReadWrite.All --tenant contoso
  sds-kit token --scopes EduAdministration.Read --expires-in 60
`;

const permissions = (values: string[] | undefined) =>
  values
    ?.flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);

export async function runToken(args: string[], streams: CliStreams): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args,
      strict: true,
      options: {
        scopes: { type: "string", multiple: true },
        roles: { type: "string", multiple: true },
        tenant: { type: "string" },
        "expires-in": { type: "string" },
        ...helpOption,
      },
    }),
  );
  if (values.help) {
    streams.stdout.write(tokenUsage);
    return 0;
  }
  const scopes = permissions(values.scopes);
  const roles = permissions(values.roles);
  for (const permission of [...(scopes ?? []), ...(roles ?? [])]) {
    if (!/^[A-Za-z][\w.]*$/.test(permission)) throw new UsageError(`'${permission}' is not a permission name`);
  }
  if (values.tenant !== undefined && !/^[\w.-]{1,64}$/.test(values.tenant))
    throw new UsageError(`--tenant takes letters, digits, '.', '-' and '_' (at most 64), got '${values.tenant}'`);
  const expiresIn = values["expires-in"];
  if (expiresIn !== undefined && !/^\d+$/.test(expiresIn))
    throw new UsageError(`--expires-in must be a whole number of seconds, got '${expiresIn}'`);
  const token = createTestToken({
    ...(scopes === undefined && roles === undefined ? { scopes: ["EduAdministration.ReadWrite"] } : {}),
    ...(scopes === undefined ? {} : { scopes }),
    ...(roles === undefined ? {} : { roles }),
    ...(values.tenant === undefined ? {} : { tid: values.tenant }),
    ...(expiresIn === undefined ? {} : { exp: Math.floor(Date.now() / 1000) + Number(expiresIn) }),
  });
  streams.stdout.write(`${token}\n`);
  return 0;
}
