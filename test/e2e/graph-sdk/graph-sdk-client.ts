/**
 * A team's real Graph code, as it would be written against graph.microsoft.com: Microsoft's Graph
 * JavaScript client, pointed at the kit by configuration alone (base URL, customHosts, and the
 * CA in NODE_EXTRA_CA_CERTS). It prints one JSON line of what it saw; the e2e test judges it.
 */
import { Client, GraphError } from "@microsoft/microsoft-graph-client";

const baseUrl = process.env.SDS_BASE_URL ?? "";
const token = process.env.SDS_TOKEN ?? "";
// The profile to create, as the team's code would build it.
const profile: unknown = JSON.parse(process.env.SDS_PROFILE ?? "{}");
// Without customHosts the SDK keeps the token from any host that is not Graph's own.
const customHosts = process.env.SDS_CUSTOM_HOSTS === "off" ? undefined : new Set([new URL(baseUrl).hostname]);

const client = Client.initWithMiddleware({
  baseUrl,
  defaultVersion: "beta",
  authProvider: { getAccessToken: async () => token },
  ...(customHosts ? { customHosts } : {}),
});

const profiles = "/education/synchronizationProfiles";

async function failure(request: Promise<unknown>) {
  try {
    await request;
    return { failed: false };
  } catch (error) {
    return error instanceof GraphError
      ? { failed: true, graphError: true, statusCode: error.statusCode, code: error.code, message: error.message }
      : { failed: true, graphError: false, message: String(error) };
  }
}

const outcome: Record<string, unknown> = {};
try {
  const created = (await client.api(profiles).post(profile)) as { id: string; state: string };
  outcome.created = { state: created.state };
  const states: string[] = [];
  for (let read = 0; read < 10; read += 1) {
    const profile = (await client.api(`${profiles}/${created.id}`).get()) as { state: string };
    states.push(profile.state);
    if (profile.state !== "provisioning") break;
  }
  outcome.polled = states;
  const status = (await client.api(`${profiles}/${created.id}/profileStatus`).get()) as { status: string };
  outcome.status = status.status;
} catch (error) {
  outcome.error = await failure(Promise.reject(error));
}
outcome.badRequest = await failure(client.api(profiles).post({ displayName: "no provider" }));
process.stdout.write(`${JSON.stringify(outcome)}\n`);
