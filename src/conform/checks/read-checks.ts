import type { ConformanceCheck } from "../conformance-check.js";
import type { CheckFailure } from "../conformance-http.js";
import { describeAnswer } from "../conformance-http.js";
import { type ConformanceSession, isObject, profilesPath } from "../conformance-session.js";

/** Next links followed before a list is called endless. */
const maxPages = 1000;

/** Pages through the list one profile at a time; the ids seen, or undefined when a page failed. */
async function everyPage(session: ConformanceSession, failures: CheckFailure[]): Promise<Set<string> | undefined> {
  const seenIds = new Set<string>();
  const seenLinks = new Set<string>();
  let path = `${profilesPath}?$top=1`;
  for (let page = 0; ; page += 1) {
    const answer = await session.http.call("GET", path, failures, { expectedStatus: 200 });
    if (answer.status !== 200 || !isObject(answer.body)) return undefined;
    for (const item of Array.isArray(answer.body.value) ? answer.body.value : []) {
      const id = isObject(item) ? String(item.id) : "";
      session.expect(failures, !seenIds.has(id), {
        request: answer.request,
        requirement: "each profile once across the pages",
        source: "graph-convention §4 (paging)",
        got: `profile ${id} again on page ${page + 1}`,
      });
      seenIds.add(id);
    }
    const next = answer.body["@odata.nextLink"];
    if (typeof next !== "string") return seenIds;
    const following = session.nextPath(next);
    const leadsOn = session.expect(failures, following !== undefined && !seenLinks.has(following) && page < maxPages, {
      request: answer.request,
      requirement: "an @odata.nextLink that leads on, to a last page without one",
      source: "graph-convention §4 (paging)",
      got:
        following === undefined ? `an unusable next link ${JSON.stringify(next)}` : `a next link that repeats: ${next}`,
    });
    if (!leadsOn || following === undefined) return undefined;
    seenLinks.add(following);
    path = following;
  }
}

export const readChecks: readonly ConformanceCheck[] = [
  {
    name: "get answers the profile that was created",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      session.needState();
      const answer = await session.http.call("GET", `${profilesPath}/${profile.id}`, failures, { expectedStatus: 200 });
      const body = isObject(answer.body) ? answer.body : {};
      session.expect(failures, body.id === profile.id && body.displayName === profile.displayName, {
        request: answer.request,
        requirement: `the profile created, id ${profile.id}, named "${profile.displayName}"`,
        source: "documented §1 #3 [OLD][MGD]",
        got: describeAnswer(answer.status, answer.body),
      });
    },
  },
  {
    name: "list pages with $top through @odata.nextLink to the end, without repeats",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      const expected = new Set<string>();
      if (session.statelessBecause === undefined) {
        // Two profiles of the run's own, so that a page of one must have a next link.
        const second = await session.http.call("POST", profilesPath, failures, {
          body: { ...session.documentedCreate(), displayName: `${session.tag} (2)` },
        });
        session.remember(second);
        expected.add(profile.id);
        if (isObject(second.body) && typeof second.body.id === "string") expected.add(second.body.id);
      }
      const seenIds = await everyPage(session, failures);
      if (!seenIds) return;
      const missing = [...expected].filter((id) => !seenIds.has(id));
      session.expect(failures, missing.length === 0, {
        request: `GET ${profilesPath}?$top=1 and its next links`,
        requirement: "every profile of the tenant, the run's own among them",
        source: "documented §1 #1 [OLD][MGD]",
        got: `${seenIds.size} profile(s) listed, without ${missing.join(", ")}`,
      });
    },
  },
  {
    name: "status answers",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      await session.http.call("GET", `${profilesPath}/${profile.id}/profileStatus`, failures, { expectedStatus: 200 });
    },
  },
  {
    name: "the errors list answers",
    async run(session, failures) {
      const profile = await session.createSubject(failures);
      await session.http.call("GET", `${profilesPath}/${profile.id}/errors`, failures, { expectedStatus: 200 });
    },
  },
];
