import type { ConformanceCheck } from "../conformance-check.js";
import { describeAnswer } from "../conformance-http.js";
import { isObject, profilesPath } from "../conformance-session.js";

export const provisioningChecks: readonly ConformanceCheck[] = [
  {
    name: "the status endpoint answers while the profile provisions",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      await session.http.call("GET", `${profilesPath}/${profile.id}/profileStatus`, failures, { expectedStatus: 200 });
    },
  },
  {
    name: "polling the profile settles in provisioned or provisioningFailed within the timeout",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      session.needState();
      const { answer, waited, settled } = await session.pollUntilProvisioned(profile.id, failures);
      const state = isObject(answer.body) ? answer.body.state : undefined;
      const provisioned = session.expect(failures, settled && answer.status === 200, {
        request: answer.request,
        requirement: `state "provisioned" or "provisioningFailed" within ${session.options.timeoutMs} ms of polling`,
        source: "documented §1 #2 [OLD][MGD] (poll until provisioned)",
        got: settled ? describeAnswer(answer.status, answer.body) : `still ${JSON.stringify(state)} after ${waited} ms`,
      });
      if (provisioned) profile.settled = String(state);
    },
  },
];
