import createClient from "openapi-fetch";
import type { components, paths } from "../../generated/types.js";
import { provisioningOutcomes, settledSyncStatuses } from "../lifecycle/vocabulary.js";
import { importPart } from "../parts/optional-parts.js";
import { followNextLink } from "./next-link.js";
import { type ListQuery, operationMethods, type SynchronizationProfile } from "./operation-methods.js";
import { pollUntil, realSleep, type Sleep, type WaitOptions } from "./poll-until.js";

export type { StartResult, SynchronizationProfile, VerificationMessage } from "./operation-methods.js";
export type { WaitOptions } from "./poll-until.js";

export type SynchronizationProfileStatus = components["schemas"]["EducationSynchronizationProfileStatus"];
export type SynchronizationError = components["schemas"]["EducationSynchronizationError"];

export interface SynchronizationProfilesClientOptions {
  /** Where the API lives, version included: `https://graph.microsoft.com/beta`, or a mock's URL + `/beta`. */
  baseUrl: string;
  /** A bearer token, or `getToken` to fetch a fresh one for every request. */
  token?: string;
  getToken?: () => string | Promise<string>;
  /** The `fetch` to use (the simulator's in-process one in unit tests). */
  fetch?: (request: Request) => Promise<Response>;
  /** Send `Prefer: include-unknown-enum-members`, to receive evolvable enum members as they are. */
  includeUnknownEnumMembers?: boolean;
  /** How to wait between polls and retries; tests pass one that moves a virtual clock. */
  sleep?: Sleep;
}

/** CSV files to upload, by name: `school.csv`, `section.csv`, … */
export type CsvFiles = ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;

const profilesPath = "/education/synchronizationProfiles";

/**
 * A typed client for the synchronization profile API: one method per operation, results typed
 * from the spec, and every non-2xx answer thrown as a {@link GraphError}; and the flows built on
 * them: every page of a list, an upload of the CSV files, and waits for provisioning and a sync.
 */
export function createSynchronizationProfilesClient(options: SynchronizationProfilesClientOptions) {
  if (!options.token && !options.getToken)
    throw new TypeError("createSynchronizationProfilesClient needs a token or getToken");
  const requestHeaders = async (): Promise<Record<string, string>> => ({
    authorization: `Bearer ${options.getToken ? await options.getToken() : options.token}`,
    ...(options.includeUnknownEnumMembers ? { prefer: "include-unknown-enum-members" } : {}),
  });
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  api.use({
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await requestHeaders())) request.headers.set(name, value);
      return request;
    },
  });
  const sleep = options.sleep ?? realSleep;
  const followLink = (link: string, listPath: string) =>
    followNextLink(link, listPath, {
      baseUrl: options.baseUrl,
      headers: requestHeaders,
      fetch: options.fetch ?? fetch,
    });
  const methods = operationMethods(api);

  const client = {
    ...methods,

    /** Every profile, following `@odata.nextLink` page by page. */
    async *listAllSynchronizationProfiles(query: ListQuery = {}): AsyncGenerator<SynchronizationProfile> {
      let page = await methods.listSynchronizationProfiles(query);
      for (;;) {
        yield* page.value;
        const next = page["@odata.nextLink"];
        if (!next) return;
        page = (await followLink(next, profilesPath)) as typeof page;
      }
    },

    /**
     * Gets an upload URL and uploads the files to it with the Azure Storage SDK, as against Azure:
     * each file a block blob named as given (`school.csv`, …). Resolves with the names uploaded.
     */
    async uploadCsvFiles(id: string, files: CsvFiles): Promise<string[]> {
      // The Storage SDK loads with the first upload, not with the client.
      const [{ ContainerClient }, url] = await Promise.all([
        importPart("storageSdk", () => import("@azure/storage-blob")),
        methods.getSynchronizationProfileUploadUrl(id),
      ]);
      const container = new ContainerClient(url);
      const entries = files instanceof Map ? [...files] : Object.entries(files);
      for (const [name, content] of entries) {
        const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
        await container.getBlockBlobClient(name).upload(bytes, bytes.byteLength, {
          blobHTTPHeaders: { blobContentType: "text/csv; charset=utf-8" },
        });
      }
      return entries.map(([name]) => name);
    },

    /** The flow's name for `startSynchronizationProfile`: verify the uploaded files and start the sync. */
    startAndVerify(id: string) {
      return methods.startSynchronizationProfile(id);
    },

    async *listAllSynchronizationErrors(id: string, query: ListQuery = {}): AsyncGenerator<SynchronizationError> {
      let page = await methods.listSynchronizationErrors(id, query);
      for (;;) {
        yield* page.value;
        const next = page["@odata.nextLink"];
        if (!next) return;
        page = (await followLink(next, `${profilesPath}/${encodeURIComponent(id)}/errors`)) as typeof page;
      }
    },

    /** Polls the profile until it is `provisioned` or `provisioningFailed`, and returns it. */
    waitForProvisioning(id: string, wait: WaitOptions = {}): Promise<SynchronizationProfile> {
      return pollUntil(
        () => methods.getSynchronizationProfile(id),
        (profile) => (provisioningOutcomes as readonly unknown[]).includes(profile.state),
        (profile) => `synchronization profile ${id} is still ${profile?.state ?? "unread"}`,
        wait,
        sleep,
      );
    },

    /** Polls the profile's status until the sync has settled (success, error, validationError, quarantined or paused). */
    waitForSync(id: string, wait: WaitOptions = {}): Promise<SynchronizationProfileStatus> {
      return pollUntil(
        () => methods.getSynchronizationProfileStatus(id),
        (status) => (settledSyncStatuses as readonly unknown[]).includes(status.status),
        (status) => `the sync of profile ${id} is still ${status?.status ?? "unread"}`,
        wait,
        sleep,
      );
    },
  };
  return client;
}

export type SynchronizationProfilesClient = ReturnType<typeof createSynchronizationProfilesClient>;
