import { randomUUID } from "node:crypto";
import type { ConformanceCheck } from "../conformance-check.js";
import { describeAnswer } from "../conformance-http.js";
import { isObject, type Json, profilesPath } from "../conformance-session.js";

/** What the live service was seen to do where its pages say otherwise (decisions.md, kind observation). */
export const serviceChecks: readonly ConformanceCheck[] = [
  {
    name: "a create in the Microsoft.Education.DataSync namespace is refused, as the service refused it",
    level: "observed",
    async run(session, failures) {
      const body = session.documentedCreate();
      (body.dataProvider as Json)["@odata.type"] = "#Microsoft.Education.DataSync.educationCsvDataProvider";
      const answer = await session.http.call("POST", profilesPath, failures, { body, expectedStatus: 400 });
      session.remember(answer);
      const message = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.message : undefined;
      session.expect(failures, answer.status === 400 && String(message).startsWith("Invalid OData type specified"), {
        request: answer.request,
        requirement: '400 BadRequest "Invalid OData type specified: …", as microsoft-graph-docs#17889 captured',
        source: "observed decisions.md#odata-namespace",
        got: describeAnswer(answer.status, answer.body),
      });
      if (answer.status === 400)
        session.expectObservedCode(failures, answer, "BadRequest", "observed decisions.md#odata-namespace");
    },
  },
  {
    name: "status with $select answers only the property selected",
    level: "observed",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      const answer = await session.http.call(
        "GET",
        `${profilesPath}/${profile.id}/profileStatus?$select=lastSynchronizationDateTime`,
        failures,
        { expectedStatus: 200 },
      );
      const properties = isObject(answer.body) ? Object.keys(answer.body).filter((k) => !k.startsWith("@")) : [];
      session.expect(failures, answer.status === 200 && properties.join() === "lastSynchronizationDateTime", {
        request: answer.request,
        requirement: "200 with lastSynchronizationDateTime and no other property, as Graph's $select answers",
        source: "observed decisions.md#select",
        got: describeAnswer(answer.status, answer.body),
      });
    },
  },
  {
    name: "query options are taken without their $, as on Graph's beta endpoint",
    async run(session, failures) {
      await session.createSubject(failures);
      const answer = await session.http.call("GET", `${profilesPath}?top=1`, failures, { expectedStatus: 200 });
      const value = isObject(answer.body) && Array.isArray(answer.body.value) ? answer.body.value : undefined;
      session.expect(failures, answer.status === 200 && value !== undefined && value.length <= 1, {
        request: answer.request,
        requirement: "at most one profile: top=1 is $top=1 on the beta endpoint",
        source: "graph-convention (the $ prefix is optional on beta)",
        got: describeAnswer(answer.status, answer.body),
      });
    },
  },
  {
    name: "a path the API does not have is Graph's 400 naming the segment",
    level: "observed",
    async run(session, failures) {
      const profile = await session.createSubject(failures).catch(() => undefined);
      const id = profile?.id ?? randomUUID();
      const answer = await session.http.call("GET", `${profilesPath}/${id}/verifyFiles`, failures);
      const message = isObject(answer.body) && isObject(answer.body.error) ? answer.body.error.message : undefined;
      session.expect(
        failures,
        answer.status === 400 && message === "Resource not found for the segment 'verifyFiles'.",
        {
          request: answer.request,
          requirement: "400 BadRequest \"Resource not found for the segment 'verifyFiles'.\"",
          source: "observed decisions.md#unknown-segment",
          got: describeAnswer(answer.status, answer.body),
        },
      );
    },
  },
  {
    name: "path segments in another letter case reach their operation",
    level: "kit",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      const answer = await session.http.call("GET", `${profilesPath}/${profile.id}/ProfileStatus`, failures, {
        expectedStatus: 200,
      });
      session.expect(failures, answer.status === 200, {
        request: answer.request,
        requirement: "200: /ProfileStatus is /profileStatus, as OData's resolvers match segments",
        source: "kit decisions.md#segment-case",
        got: describeAnswer(answer.status, answer.body),
      });
    },
  },
];
