import { generateRoster } from "../../csv/generate-roster.js";
import { importPart, MissingPartError } from "../../parts/optional-parts.js";
import type { ConformanceCheck } from "../conformance-check.js";
import { describeAnswer } from "../conformance-http.js";
import { isObject, profilesPath, Skip } from "../conformance-session.js";

/** How long one file's upload may take before the check gives up on it. */
const uploadTimeoutMs = 30_000;

export const csvChecks: readonly ConformanceCheck[] = [
  {
    name: "uploadUrl answers a SAS URL to upload the files to",
    async run(session, failures) {
      const profile = await session.provisionedCsvSubject(failures);
      const answer = await session.http.call("GET", `${profilesPath}/${profile.id}/uploadUrl`, failures);
      const value = isObject(answer.body) ? answer.body.value : undefined;
      const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
      if (url) session.uploadUrl = url.toString();
      session.expect(
        failures,
        (answer.status === 200 || answer.status === 201) && url !== undefined && url.searchParams.has("sig"),
        {
          request: answer.request,
          requirement: "200 (or 201) with a blob container SAS URL: https, signed (sig=)",
          source: "documented §1 #11 [MGD]",
          got: describeAnswer(answer.status, answer.body),
        },
      );
    },
  },
  {
    name: "the six CSV files upload through the URL with the Azure Storage SDK",
    async run(session, failures) {
      await session.provisionedCsvSubject(failures);
      session.needState();
      if (session.options.inProcess)
        throw new Skip("a fetch function answers the API, not the blob endpoint the files go to: run against a URL");
      // The URL the uploadUrl check got: a second request within a moment may rightly answer 409.
      const url = session.uploadUrl;
      if (url === undefined) throw new Skip("there is no upload URL to upload to (the uploadUrl check says why)");
      let sdk: typeof import("@azure/storage-blob");
      try {
        sdk = await importPart("storageSdk", () => import("@azure/storage-blob"));
      } catch (error) {
        if (error instanceof MissingPartError) throw new Skip(error.message);
        throw error;
      }
      const container = new sdk.ContainerClient(url, undefined, { retryOptions: { maxTries: 1 } });
      for (const [name, content] of generateRoster({ seed: session.tag })) {
        try {
          await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content), {
            abortSignal: AbortSignal.timeout(uploadTimeoutMs),
          });
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          const cause = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
          failures.push({
            request: `PUT ${new URL(url).origin}${new URL(url).pathname}/${name}`,
            requirement: "the upload URL takes the files, as a blob container SAS does",
            source: "documented §1 #11 [MGD] (upload with AzCopy or the Storage SDK)",
            got: status === undefined ? `no answer: ${cause}` : `${status} ${cause}`,
          });
          return;
        }
      }
      session.filesUploaded = true;
    },
  },
  {
    name: "start answers 200, or 400 when verification finds errors",
    async run(session, failures) {
      const profile = await session.provisionedCsvSubject(failures);
      const answer = await session.http.call("POST", `${profilesPath}/${profile.id}/start`, failures);
      const messages =
        isObject(answer.body) && Array.isArray(answer.body.value) ? answer.body.value.filter(isObject) : [];
      const errors = messages.filter((m) => String(m.type).toLowerCase() === "error").length;
      session.syncStarted = answer.status === 200 && errors === 0;
      // With a clean set uploaded, a server that verifies files has nothing to refuse.
      if (session.filesUploaded)
        session.expect(failures, answer.status === 200 && errors === 0, {
          request: answer.request,
          requirement: "200 without error messages for a clean set of the six files",
          source: "documented §1 #10 [OLD][MGD]",
          got: describeAnswer(answer.status, answer.body),
        });
      session.expect(failures, answer.status === 200 || answer.status === 400, {
        request: answer.request,
        requirement: "200 when the files verify, 400 when verification finds errors",
        source: "documented §1 #10 [OLD][MGD]",
        got: describeAnswer(answer.status, answer.body),
      });
      // The documentation's own example lists errors under 200; only the kit's level holds the prose's rule.
      if (session.level === "kit")
        session.expect(failures, !(answer.status === 200 && errors > 0), {
          request: answer.request,
          requirement: "400 when any verification message is an error",
          source: "kit decisions.md#start-status",
          got: `200 with ${errors} error message(s)`,
        });
    },
  },
  {
    name: "pause answers 200 without a body",
    async run(session, failures) {
      const profile = await session.provisionedCsvSubject(failures);
      const answer = await session.http.call("POST", `${profilesPath}/${profile.id}/pause`, failures, {
        expectedStatus: 200,
      });
      if (session.level === "kit" && answer.status === 200 && session.statelessBecause === undefined) {
        const status = await session.http.call("GET", `${profilesPath}/${profile.id}/profileStatus`, failures);
        session.expect(failures, isObject(status.body) && status.body.status === "paused", {
          request: status.request,
          requirement: 'sync status "paused" after a pause',
          source: "documented §1 #7 [OLD][MGD]",
          got: describeAnswer(status.status, status.body),
        });
      }
    },
  },
  {
    name: "resume answers 200 without a body",
    async run(session, failures) {
      const profile = await session.provisionedCsvSubject(failures);
      if (!session.syncStarted)
        throw new Skip("the sync did not start, so there is nothing to resume (start answered without starting it)");
      await session.http.call("POST", `${profilesPath}/${profile.id}/resume`, failures, { expectedStatus: 200 });
    },
  },
  {
    name: "reset answers 200 without a body",
    async run(session, failures) {
      const profile = await session.provisionedCsvSubject(failures);
      // Like resume, reset needs a sync that ran (decisions.md#sync-status-before-start).
      if (!session.syncStarted)
        throw new Skip("the sync did not start, so there is nothing to reset (start answered without starting it)");
      await session.http.call("POST", `${profilesPath}/${profile.id}/reset`, failures, { expectedStatus: 200 });
    },
  },
];
