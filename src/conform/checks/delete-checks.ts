import type { ConformanceCheck } from "../conformance-check.js";
import { describeAnswer } from "../conformance-http.js";
import { isObject, profilesPath } from "../conformance-session.js";

export const deleteChecks: readonly ConformanceCheck[] = [
  {
    name: "delete answers 202, then the profile goes away or reports deleting while it does",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      session.needState();
      const answer = await session.http.call("DELETE", `${profilesPath}/${profile.id}`, failures, {
        expectedStatus: 202,
      });
      if (answer.status !== 202) return;
      const {
        answer: last,
        waited,
        settled,
      } = await session.poll(profile.id, failures, (read) => {
        if (read.status === 404) return true;
        const state = isObject(read.body) ? read.body.state : undefined;
        return read.status !== 200 || state === "deletionFailed";
      });
      const state = isObject(last.body) ? last.body.state : undefined;
      if (last.status === 404) session.gone.add(profile.id);
      session.expect(failures, settled && last.status === 404, {
        request: last.request,
        requirement: `404 within ${session.options.timeoutMs} ms of the delete, "deleting" until then`,
        source: "documented §1 #5 [OLD][MGD]",
        got: settled
          ? describeAnswer(last.status, last.body)
          : `still readable after ${waited} ms (state ${JSON.stringify(state)})`,
      });
    },
  },
];
