import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "../../generated/types.js";
import { importPart } from "../parts/optional-parts.js";
import { GraphError, NextLinkError, WaitTimeoutError } from "./graph-error.js";

type Schemas = components["schemas"];
export type SynchronizationProfile = Schemas["EducationSynchronizationProfile"];
export type SynchronizationProfileStatus = Schemas["EducationSynchronizationProfileStatus"];
export type SynchronizationError = Schemas["EducationSynchronizationError"];
export type VerificationMessage = Schemas["EducationFileSynchronizationVerificationMessage"];
type ListQuery = NonNullable<paths["/education/synchronizationProfiles"]["get"]["parameters"]["query"]>;

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
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface WaitOptions {
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** The first wait between polls, growing by half each time up to ten times this (default 1 s). */
  intervalMs?: number;
  /** How many 503/504 answers in a row to retry before giving up (default 3). */
  maxServerErrors?: number;
  signal?: AbortSignal;
}

export interface StartResult {
  /** False when verification found errors: the sync did not start. */
  started: boolean;
  messages: VerificationMessage[];
}

const settledProfileStates = new Set(["provisioned", "provisioningFailed"]);
const settledSyncStatuses = new Set(["success", "error", "validationError", "quarantined", "paused"]);

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * A typed client for the synchronization profile API: one method per operation, results typed
 * from the spec, and every non-2xx answer thrown as a {@link GraphError}.
 */
/** CSV files to upload, by name: `school.csv`, `section.csv`, … */
export type CsvFiles = ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;

export function createSynchronizationProfilesClient(options: SynchronizationProfilesClientOptions) {
  if (!options.token && !options.getToken)
    throw new TypeError("createSynchronizationProfilesClient needs a token or getToken");
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const auth: Middleware = {
    async onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${options.getToken ? await options.getToken() : options.token}`);
      if (options.includeUnknownEnumMembers) request.headers.set("prefer", "include-unknown-enum-members");
      return request;
    },
  };
  api.use(auth);
  const sleep = options.sleep ?? realSleep;

  async function ok<T>(
    pending: Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<{ data: T; response: Response }> {
    const { data, error, response } = await pending;
    if (!response.ok) throw await GraphError.fromResponse(response, error);
    return { data: data as T, response };
  }
  const byId = (id: string) => ({ params: { path: { id } } });

  const client = {
    async listSynchronizationProfiles(query: ListQuery = {}) {
      return (await ok(api.GET("/education/synchronizationProfiles", { params: { query } }))).data;
    },

    /** Every profile, following `@odata.nextLink` page by page. */
    async *listAllSynchronizationProfiles(query: ListQuery = {}): AsyncGenerator<SynchronizationProfile> {
      let page = await client.listSynchronizationProfiles(query);
      for (;;) {
        yield* page.value;
        const next = page["@odata.nextLink"];
        if (!next) return;
        page = (await followLink(next, "/education/synchronizationProfiles")) as typeof page;
      }
    },

    /** Answers 202 (the documentation's prose) or 201 (its example); both are success. */
    async createSynchronizationProfile(body: Schemas["EducationSynchronizationProfileCreate"]) {
      const { data, response } = await ok(api.POST("/education/synchronizationProfiles", { body }));
      return { status: response.status as 201 | 202, profile: data as SynchronizationProfile };
    },

    async replaceSynchronizationProfile(body: Schemas["EducationSynchronizationProfileReplace"]) {
      return (await ok(api.PUT("/education/synchronizationProfiles", { body }))).data;
    },

    async getSynchronizationProfile(id: string) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}", byId(id)))).data;
    },

    async updateSynchronizationProfile(
      id: string,
      changes: Schemas["EducationSynchronizationProfileUpdate"],
    ): Promise<void> {
      await ok(api.PATCH("/education/synchronizationProfiles/{id}", { ...byId(id), body: changes }));
    },

    async deleteSynchronizationProfile(id: string): Promise<void> {
      await ok(api.DELETE("/education/synchronizationProfiles/{id}", byId(id)));
    },

    async getSynchronizationProfileStatus(id: string) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/profileStatus", byId(id)))).data;
    },

    async pauseSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/pause", byId(id)));
    },

    async resumeSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/resume", byId(id)));
    },

    async resetSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/reset", byId(id)));
    },

    /**
     * Verifies the uploaded files and starts the sync. Any error message means it did not start,
     * whether the service said so with 400 or, as in the documentation's example, with 200.
     */
    async startSynchronizationProfile(id: string): Promise<StartResult> {
      const { data, error, response } = await api.POST("/education/synchronizationProfiles/{id}/start", byId(id));
      const collection = (response.ok ? data : error) as { value?: VerificationMessage[] } | undefined;
      if (!response.ok && (response.status !== 400 || !Array.isArray(collection?.value))) {
        throw await GraphError.fromResponse(response, error);
      }
      const messages = collection?.value ?? [];
      const hasError = messages.some((m) => m.type?.toLowerCase() === "error");
      return { started: response.ok && !hasError, messages };
    },

    /** A write-only SAS URL, valid for one hour, to upload the CSV files to. */
    async getSynchronizationProfileUploadUrl(id: string): Promise<string> {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/uploadUrl", byId(id)))).data.value;
    },

    /**
     * Gets an upload URL and uploads the files to it with the Azure Storage SDK, as against Azure:
     * each file a block blob named as given (`school.csv`, …). Resolves with the names uploaded.
     */
    async uploadCsvFiles(id: string, files: CsvFiles): Promise<string[]> {
      // The Storage SDK loads with the first upload, not with the client.
      const [{ ContainerClient }, url] = await Promise.all([
        importPart("storageSdk", () => import("@azure/storage-blob")),
        client.getSynchronizationProfileUploadUrl(id),
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
    startAndVerify(id: string): Promise<StartResult> {
      return client.startSynchronizationProfile(id);
    },

    async listSynchronizationErrors(id: string, query: ListQuery = {}) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/errors", { params: { path: { id }, query } })))
        .data;
    },

    async *listAllSynchronizationErrors(id: string, query: ListQuery = {}): AsyncGenerator<SynchronizationError> {
      let page = await client.listSynchronizationErrors(id, query);
      for (;;) {
        yield* page.value;
        const next = page["@odata.nextLink"];
        if (!next) return;
        page = (await followLink(
          next,
          `/education/synchronizationProfiles/${encodeURIComponent(id)}/errors`,
        )) as typeof page;
      }
    },

    /** Polls the profile until it is `provisioned` or `provisioningFailed`, and returns it. */
    waitForProvisioning(id: string, wait: WaitOptions = {}): Promise<SynchronizationProfile> {
      return poll(
        () => client.getSynchronizationProfile(id),
        (profile) => profile.state != null && settledProfileStates.has(profile.state),
        (profile) => `synchronization profile ${id} is still ${profile?.state ?? "unread"}`,
        wait,
      );
    },

    /** Polls the profile's status until the sync has settled (success, error, validationError, quarantined or paused). */
    waitForSync(id: string, wait: WaitOptions = {}): Promise<SynchronizationProfileStatus> {
      return poll(
        () => client.getSynchronizationProfileStatus(id),
        (status) => status.status != null && settledSyncStatuses.has(status.status),
        (status) => `the sync of profile ${id} is still ${status?.status ?? "unread"}`,
        wait,
      );
    },
  };

  /**
   * Follows an absolute next link of the list at `listPath`, with the client's auth and error
   * handling. A link that is not a page of that list is refused rather than requested.
   */
  async function followLink(link: string, listPath: string): Promise<unknown> {
    const refuse = (why: string) =>
      new NextLinkError(`cannot follow @odata.nextLink ${JSON.stringify(link)}: ${why}`, link);
    if (!URL.canParse(link)) throw refuse("it is not an absolute URL");
    const url = new URL(link);
    const base = new URL(options.baseUrl);
    // Next links carry the service's own origin; requests keep going to the configured one.
    const path = url.pathname.startsWith(base.pathname)
      ? url.pathname.slice(base.pathname.replace(/\/$/, "").length)
      : url.pathname;
    if (url.hash !== "" || decodeURIComponent(path).includes("$metadata"))
      throw refuse("it points into the $metadata document, not at a page (decisions.md#gen-a-next-link)");
    if (!path.toLowerCase().endsWith(listPath.toLowerCase())) throw refuse(`it is not a page of ${listPath}`);
    const request = new Request(`${options.baseUrl.replace(/\/$/, "")}${path}${url.search}`);
    request.headers.set("authorization", `Bearer ${options.getToken ? await options.getToken() : options.token}`);
    if (options.includeUnknownEnumMembers) request.headers.set("prefer", "include-unknown-enum-members");
    const response = await (options.fetch ?? fetch)(request);
    if (!response.ok) throw await GraphError.fromResponse(response);
    return response.json();
  }

  /**
   * Reads until `settled`, waiting with backoff between reads; a 429 waits its Retry-After, a
   * 503/504 is retried a bounded number of times, anything else is thrown.
   */
  async function poll<T>(
    read: () => Promise<T>,
    settled: (value: T) => boolean,
    describe: (last: T | undefined) => string,
    wait: WaitOptions,
  ): Promise<T> {
    const timeoutMs = wait.timeoutMs ?? 300_000;
    const first = wait.intervalMs ?? 1000;
    const maxServerErrors = wait.maxServerErrors ?? 3;
    let interval = first;
    let waited = 0;
    let serverErrors = 0;
    let last: T | undefined;
    for (;;) {
      wait.signal?.throwIfAborted();
      let pause = interval;
      try {
        last = await read();
        serverErrors = 0;
        if (settled(last)) return last;
        interval = Math.min(interval * 1.5, first * 10);
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        if (error.status === 429) {
          pause = error.retryAfter !== undefined ? error.retryAfter * 1000 : interval;
        } else if ((error.status === 503 || error.status === 504) && serverErrors < maxServerErrors) {
          serverErrors += 1;
          pause = error.retryAfter !== undefined ? error.retryAfter * 1000 : interval;
        } else {
          throw error;
        }
      }
      if (waited + pause > timeoutMs)
        throw new WaitTimeoutError(`${describe(last)} after ${waited} ms (timeout ${timeoutMs} ms)`, last);
      await sleep(pause, wait.signal);
      waited += pause;
    }
  }

  return client;
}

export type SynchronizationProfilesClient = ReturnType<typeof createSynchronizationProfilesClient>;
