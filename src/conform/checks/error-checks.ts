import { randomUUID } from "node:crypto";
import type { ConformanceCheck } from "../conformance-check.js";
import { profilesPath, Skip } from "../conformance-session.js";

export const errorChecks: readonly ConformanceCheck[] = [
  {
    name: "a request without a token answers 401",
    async run(session, failures) {
      const answer = await session.http.call("GET", profilesPath, failures, { token: null, expectedStatus: 401 });
      if (answer.status === 401)
        session.expectObservedCode(
          failures,
          answer,
          "InvalidAuthenticationToken",
          "observed decisions.md#unauthenticated-code",
        );
    },
  },
  {
    name: "an unknown id answers 404",
    async run(session, failures) {
      await session.createSubject(failures).catch(() => undefined);
      session.needState();
      await session.http.call("GET", `${profilesPath}/${randomUUID()}`, failures, { expectedStatus: 404 });
    },
  },
  {
    name: "a 429 carries Retry-After and Graph's error envelope",
    async run(session, failures) {
      if (session.http.throttles.length === 0)
        throw new Skip("the server did not throttle during the run (429s are observed, not forced)");
      for (const throttle of session.http.throttles) failures.push(...throttle.failures);
    },
  },
];
