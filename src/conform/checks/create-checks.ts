import { provisioningOutcomes } from "../../lifecycle/vocabulary.js";
import type { ConformanceCheck } from "../conformance-check.js";
import { type CheckFailure, describeAnswer } from "../conformance-http.js";
import { type ConformanceSession, type Json, profilesPath, Skip, type Subject } from "../conformance-session.js";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A check that a create breaking the request schema in one way is refused with 400. */
function refusedCreate(name: string, change: (body: Json) => void): ConformanceCheck {
  return {
    name,
    async run(session, failures) {
      const body = session.documentedCreate();
      change(body);
      const answer = await session.http.call("POST", profilesPath, failures, { body, expectedStatus: 400 });
      session.remember(answer);
      session.expect(failures, answer.status === 400, {
        request: answer.request,
        requirement: "400 with Graph's error envelope: a create that breaks the request schema is refused",
        source: "documented §1 #2 [OLD] (400 when model validation fails)",
        got: describeAnswer(answer.status, answer.body),
      });
      if (answer.status === 400)
        session.expectObservedCode(failures, answer, "BadRequest", "observed decisions.md#service-error-codes");
    },
  };
}

async function createdProfile(session: ConformanceSession, failures: CheckFailure[]): Promise<Subject | undefined> {
  try {
    return await session.createSubject(failures);
  } catch (error) {
    if (!(error instanceof Skip)) throw error;
    failures.push({
      request: `POST ${profilesPath}`,
      requirement: "202 (or 201) with the new profile",
      source: "documented §1 #2 [OLD][MGD]",
      got: error.reason.replace(/^no profile to check: the create request answered /, ""),
    });
    return undefined;
  }
}

export const createChecks: readonly ConformanceCheck[] = [
  {
    name: "the documentation's request answers 202 or 201 with a provisioning profile and a GUID id",
    async run(session, failures) {
      const profile = await createdProfile(session, failures);
      if (!profile) return;
      session.expect(failures, guid.test(profile.id), {
        request: `POST ${profilesPath}`,
        requirement: "a GUID id assigned by the service",
        source: "documented §2.1 [OLD][MGD] (a server-assigned GUID)",
        got: JSON.stringify(profile.id),
      });
      session.expect(failures, ["provisioning", ...provisioningOutcomes].includes(profile.createdState ?? ""), {
        request: `POST ${profilesPath}`,
        requirement: 'state "provisioning" (or, had it settled already, "provisioned" or "provisioningFailed")',
        source: "documented §1 #2 [OLD][MGD]",
        got: JSON.stringify(profile.createdState ?? "no state"),
      });
    },
  },
  refusedCreate("a request without displayName answers 400 with Graph's error envelope", (body) => {
    delete body.displayName;
  }),
  refusedCreate("an unknown @odata.type answers 400 with Graph's error envelope", (body) => {
    body.dataProvider = { "@odata.type": "#microsoft.graph.educationSpreadsheetDataProvider" };
  }),
  refusedCreate("a displayName that is not a string answers 400 with Graph's error envelope", (body) => {
    body.displayName = 42;
  }),
];
