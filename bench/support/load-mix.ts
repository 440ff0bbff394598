import { readFileSync } from "node:fs";
import { join } from "node:path";
import type autocannon from "autocannon";
import { createTestToken } from "../../src/auth/test-token.js";
import { packageRoot } from "../../src/package-root.js";

const collection = "/education/synchronizationProfiles";
const createBody = JSON.stringify(
  JSON.parse(readFileSync(join(packageRoot, "spec/examples/createSynchronizationProfile.request.json"), "utf8")).value,
);
/** Breaks the spec (no dataProvider, no identitySynchronizationConfiguration): 400 from both servers. */
const badBody = JSON.stringify({ displayName: "Load test" });
/** An id no tenant holds: the simulator's 404; Prism is asked for its 404 with Prefer. */
const unknownId = "00000000-0000-4000-8000-000000000404";

export type RequestKind = "create" | "status" | "list" | "bad body" | "unknown id";

/**
 * One connection's cycle, repeated until the run ends: a create, then four polls of the created
 * profile's status, a list page, a create with a body that breaks the spec and a read of an id
 * that does not exist. Half the requests are status polls, as a client waiting on provisioning sends.
 */
export const cycle: RequestKind[] = [
  "create",
  "status",
  "status",
  "list",
  "status",
  "bad body",
  "unknown id",
  "status",
];

export interface LoadTarget {
  name: string;
  /** Prism keeps no state: it is asked for the 404 with `Prefer: code=404`; the simulator is not. */
  stateful: boolean;
}

/** What each kind of request must answer; anything else counts as an unexpected answer. */
function expected(target: LoadTarget, kind: RequestKind, status: number, body: string): string | undefined {
  switch (kind) {
    case "create":
      if (status === 202) return "create 202";
      // Past --max-profiles a tenant's creates are refused, by design: the cap is what bounds memory.
      if (target.stateful && status === 403 && body.includes('"quotaLimitReached"')) return "create 403 at cap";
      return undefined;
    case "status":
      return status === 200 ? "status 200" : undefined;
    case "list":
      return status === 200 ? "list 200" : undefined;
    case "bad body":
      return status === 400 ? "bad body 400" : undefined;
    case "unknown id":
      return status === 404 ? "unknown id 404" : undefined;
  }
}

export const answerKinds = [
  "create 202",
  "create 403 at cap",
  "status 200",
  "list 200",
  "bad body 400",
  "unknown id 404",
] as const;

export interface Tally {
  /** Expected answers, by kind and status. */
  answers: Map<string, number>;
  unexpected: number;
  /** The first few unexpected answers, to say what went wrong. */
  examples: string[];
}

interface CycleContext {
  tenant?: number;
  id?: string;
}

/**
 * The mix as autocannon requests, over `tenants` tenants (one test token each). Each cycle takes
 * the next tenant in turn and polls the profile its create made, or, once the tenant is full, the
 * one `seeded` holds for it (created before the run).
 */
export function loadMix(target: LoadTarget, seeded: string[]): { requests: autocannon.Request[]; tally: Tally } {
  const authorizations = seeded.map((_, i) => `Bearer ${tenantToken(i)}`);
  const tally: Tally = { answers: new Map(), unexpected: 0, examples: [] };
  let nextTenant = 0;
  const record = (kind: RequestKind) => (status: number, body: string) => {
    const answer = expected(target, kind, status, body);
    if (answer) {
      tally.answers.set(answer, (tally.answers.get(answer) ?? 0) + 1);
      return;
    }
    tally.unexpected += 1;
    if (tally.examples.length < 5) tally.examples.push(`${kind}: ${status} ${body.slice(0, 200)}`);
  };
  const profileOf = (context: CycleContext) => context.id ?? seeded[context.tenant ?? 0] ?? unknownId;
  const headersOf = (context: CycleContext, extra: Record<string, string> = {}) => ({
    authorization: authorizations[context.tenant ?? 0] ?? "",
    ...extra,
  });
  const json = { "content-type": "application/json" };

  const requests = cycle.map((kind): autocannon.Request => {
    const onResponse = (status: number, body: string, context: object) => {
      if (kind === "create" && status === 202) {
        (context as CycleContext).id = (JSON.parse(body) as { id: string }).id;
      }
      record(kind)(status, body);
    };
    const setupRequest = (request: autocannon.Request, raw: object): autocannon.Request => {
      const context = raw as CycleContext;
      switch (kind) {
        case "create":
          context.tenant = nextTenant;
          nextTenant = (nextTenant + 1) % seeded.length;
          return { ...request, method: "POST", path: collection, headers: headersOf(context, json), body: createBody };
        case "status":
          return {
            ...request,
            method: "GET",
            path: `${collection}/${profileOf(context)}/profileStatus`,
            headers: headersOf(context),
          };
        case "list":
          return { ...request, method: "GET", path: `${collection}?$top=10`, headers: headersOf(context) };
        case "bad body":
          return { ...request, method: "POST", path: collection, headers: headersOf(context, json), body: badBody };
        case "unknown id":
          return {
            ...request,
            method: "GET",
            path: `${collection}/${unknownId}`,
            headers: headersOf(context, target.stateful ? {} : { prefer: "code=404" }),
          };
      }
    };
    return { setupRequest, onResponse };
  });
  return { requests, tally };
}

export function tenantToken(tenant: number): string {
  return createTestToken({ scopes: ["EduAdministration.ReadWrite"], tid: `load-${tenant}` });
}

/** Creates one profile per tenant before the run, for polls once a tenant is full; their ids. */
export async function seedTenants(url: string, tenants: number): Promise<string[]> {
  const ids: string[] = [];
  for (let tenant = 0; tenant < tenants; tenant += 1) {
    const response = await fetch(`${url}${collection}`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenantToken(tenant)}`, "content-type": "application/json" },
      body: createBody,
    });
    const text = await response.text();
    if (response.status !== 202) throw new Error(`seeding tenant ${tenant}: ${response.status} ${text.slice(0, 200)}`);
    ids.push((JSON.parse(text) as { id: string }).id);
  }
  return ids;
}
