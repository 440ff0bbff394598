import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { packageRoot } from "../../src/package-root.js";
import { checkPact, type Finding } from "../../src/pact/check-pact.js";
import { readPact } from "../../src/pact/pact-file.js";

const kitPactPath = join(
  packageRoot,
  "contracts",
  "pacts",
  "sds-contract-kit-client-sds-synchronization-profiles.json",
);
// biome-ignore lint/suspicious/noExplicitAny: the tests edit pact JSON freely to break it
type Loose = any;
type Interaction = { description: string; request: Record<string, Loose>; response: Record<string, Loose> };
type Pact = { interactions: Interaction[]; [key: string]: unknown };
const kitPact = () => JSON.parse(readFileSync(kitPactPath, "utf8")) as Pact;

const create = "a request to create a CSV synchronization profile";
const get = "a request for a provisioned profile";
const status = "a request for the status of a profile whose sync is success";

/** The kit's pact with one interaction changed. */
function broken(description: string, change: (interaction: Interaction) => void): Pact {
  const pact = kitPact();
  const interaction = pact.interactions.find((i) => i.description === description);
  if (!interaction) throw new Error(description);
  change(interaction);
  return pact;
}
const check = (pact: Pact) => checkPact(readPact(JSON.stringify(pact), "test.json"));
const bodyRule = (
  interaction: Interaction,
  side: "request" | "response",
  path: string,
  matcher: Record<string, unknown>,
) => {
  interaction[side].matchingRules ??= {};
  interaction[side].matchingRules.body ??= {};
  interaction[side].matchingRules.body[path] = { combine: "AND", matchers: [matcher] };
};

const cases: [
  string,
  { pact: () => Pact; want: Pick<Finding, "severity" | "rule" | "interaction" | "location" | "path"> },
][] = [
  [
    "unknown path",
    {
      pact: () => broken(get, (i) => (i.request.path = "/beta/education/synchronizationProfile/x")),
      want: { severity: "error", rule: "unknownPath", interaction: get, location: "request.path", path: "$" },
    },
  ],
  [
    "undeclared status",
    {
      pact: () => broken(get, (i) => (i.response.status = 418)),
      want: { severity: "error", rule: "undeclaredStatus", interaction: get, location: "response.status", path: "$" },
    },
  ],
  [
    "invalid request body",
    {
      pact: () =>
        broken(
          create,
          (i) => (i.request.body.content.identitySynchronizationConfiguration.userDomains[0].appliesTo = "principal"),
        ),
      want: {
        severity: "error",
        rule: "invalidRequest",
        interaction: create,
        location: "request.body",
        path: "$.identitySynchronizationConfiguration.userDomains[0].appliesTo",
      },
    },
  ],
  [
    "request regex admitting a value outside an enum",
    {
      pact: () =>
        broken(create, (i) =>
          bodyRule(i, "request", "$.identitySynchronizationConfiguration.userDomains[*].appliesTo", {
            match: "regex",
            regex: "^(student|teacher|principal)$",
          }),
        ),
      want: {
        severity: "error",
        rule: "requestRegexWiderThanSpec",
        interaction: create,
        location: "request.body",
        path: "$.identitySynchronizationConfiguration.userDomains[0].appliesTo",
      },
    },
  ],
  [
    "type matcher on an enum in a request",
    {
      pact: () =>
        broken(create, (i) =>
          bodyRule(i, "request", "$.identitySynchronizationConfiguration.userDomains[*].appliesTo", { match: "type" }),
        ),
      want: {
        severity: "error",
        rule: "requestTypeMatcherOnConstrainedField",
        interaction: create,
        location: "request.body",
        path: "$.identitySynchronizationConfiguration.userDomains[0].appliesTo",
      },
    },
  ],
  [
    "response example outside an enum",
    {
      pact: () => broken(get, (i) => (i.response.body.content.state = "Provisioned")),
      want: {
        severity: "error",
        rule: "invalidResponseExample",
        interaction: get,
        location: "response.body",
        path: "$.state",
      },
    },
  ],
  [
    "wrong @odata.type",
    {
      pact: () =>
        broken(
          create,
          (i) => (i.request.body.content.dataProvider["@odata.type"] = "#microsoft.graph.educationExcelDataProvider"),
        ),
      want: {
        severity: "error",
        rule: "invalidRequest",
        interaction: create,
        location: "request.body",
        path: "$.dataProvider['@odata.type']",
      },
    },
  ],
  [
    "response regex wider than the enum",
    {
      pact: () => broken(get, (i) => bodyRule(i, "response", "$.state", { match: "regex", regex: "^.*$" })),
      want: {
        severity: "warning",
        rule: "responseMatcherWiderThanSpec",
        interaction: get,
        location: "response.body",
        path: "$.state",
      },
    },
  ],
  [
    "relying on a field the spec does not guarantee",
    {
      pact: () => broken(status, (i) => (i.response.body.content.errorCount = 3)),
      want: {
        severity: "warning",
        rule: "reliesOnUnguaranteedField",
        interaction: status,
        location: "response.body",
        path: "$.errorCount",
      },
    },
  ],
];

/** The kit's own pact's findings, as [rule, interaction, path]. */
const kitFindings = () => check(kitPact()).map((f) => `${f.severity} ${f.rule} ${f.interaction} ${f.path}`);

describe("checkPact", () => {
  test("the kit's own pact passes --strict: it reads state and status where the pages promise them", () => {
    // Microsoft's model makes both nullable; the pages show them in every answer (decisions.md#guaranteed-fields).
    expect(kitFindings()).toEqual([]);
  });

  test.each(cases)("%s: found, with its severity, and nothing else", (_name, { pact, want }) => {
    // Beyond the kit's own pact's warnings (the test above): exactly the one finding.
    const baseline = new Set(kitFindings());
    const findings = check(pact()).filter((f) => !baseline.has(`${f.severity} ${f.rule} ${f.interaction} ${f.path}`));
    expect(
      findings.map(({ severity, rule, interaction, location, path }) => ({
        severity,
        rule,
        interaction,
        location,
        path,
      })),
    ).toEqual([want]);
    expect(findings[0]?.message.length).toBeGreaterThan(10);
  });

  test("an array matcher lets every constrained field of its items be anything: one error each", () => {
    const pact = broken(create, (i) =>
      bodyRule(i, "request", "$.identitySynchronizationConfiguration.userDomains", { match: "type", min: 1 }),
    );
    expect(
      check(pact)
        .filter((f) => f.severity === "error")
        .map((f) => [f.rule, f.path]),
    ).toEqual([
      ["requestTypeMatcherOnConstrainedField", "$.identitySynchronizationConfiguration.userDomains[0].appliesTo"],
    ]);
  });

  test("a request that is meant to be refused (a 4xx answer) may break the spec", () => {
    const findings = check(
      broken("a request to create a profile without a display name", (i) => (i.request.body.content.displayName = "")),
    ).filter((f) => f.rule === "invalidRequest");
    expect(findings).toEqual([]);
  });

  test("reads version 2 pacts, with their flat matching rules", () => {
    const v2 = {
      consumer: { name: "old" },
      provider: { name: "sds" },
      interactions: [
        {
          description: "a v2 read",
          request: {
            method: "GET",
            path: "/education/synchronizationProfiles/86904b1e-c7d0-4ead-b13a-98f11fc400ee",
            headers: { Authorization: "Bearer x" },
          },
          response: {
            status: 200,
            body: { id: "86904b1e-c7d0-4ead-b13a-98f11fc400ee", state: "provisioned" },
            matchingRules: { "$.body.state": { match: "regex", regex: "^[a-z]+$" } },
          },
        },
      ],
      metadata: { pactSpecification: { version: "2.0.0" } },
    };
    expect(checkPact(readPact(JSON.stringify(v2), "v2.json")).map((f) => [f.severity, f.rule, f.path])).toEqual([
      ["warning", "responseMatcherWiderThanSpec", "$.state"],
    ]);
  });

  test("does not crash on polymorphism, whatever @odata.type it meets", () => {
    const pact = broken(get, (i) => {
      i.response.body.content.dataProvider = {
        "@odata.type": "#microsoft.graph.educationOneRosterApiDataProvider",
        connectionUrl: "https://x.test",
        connectionSettings: { "@odata.type": "#nope" },
      };
    });
    expect(
      check(pact)
        .filter((f) => f.severity === "error")
        .map((f) => f.rule),
    ).toEqual(["invalidResponseExample"]);
  });

  test("at the documented level only Microsoft's word is held; each kit finding names its decision", () => {
    const listing = "a request for the first page of profiles";
    const pact = broken(listing, (i) => {
      i.request.query = { $top: ["0"] };
    });
    const byLevel = (level: "documented" | "kit") =>
      checkPact(readPact(JSON.stringify(pact), "levels.json"), { level }).filter((f) => f.severity === "error");
    expect(byLevel("kit")).toMatchObject([
      { rule: "invalidRequest", location: "request.query", source: "kit decisions.md#paging" },
    ]);
    expect(byLevel("documented")).toEqual([]);

    const gone = broken(get, (i) => {
      i.response.status = 410;
      i.response.body = {
        content: { error: { code: "gone", message: "m", innerError: { date: "2026-11-27T09:14:05" } } },
        contentType: "application/json",
      };
      i.response.matchingRules = {};
    });
    const goneAt = (level: "documented" | "kit") =>
      checkPact(readPact(JSON.stringify(gone), "gone.json"), { level })
        .filter((f) => f.interaction === get)
        .map((f) => f.rule);
    expect(goneAt("kit")).toEqual(["undeclaredStatus"]);
    expect(goneAt("documented")).toEqual([]);
  });

  test("refuses what is not a pact, in one sentence", () => {
    expect(() => readPact("{}", "empty.json")).toThrow("empty.json is not a pact file: it has no interactions list");
    expect(() => readPact("{", "broken.json")).toThrow(/^broken\.json is not JSON/);
  });
});
