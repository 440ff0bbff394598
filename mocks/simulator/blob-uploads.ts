import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { type AzuriteBlobService, devAccount, startAzuriteBlob } from "./azurite.js";

// The Storage SDK is loaded with Azurite, on the first upload URL: a simulator that never hands one
// out starts as fast as one without uploads.
const storageSdk = () => import("@azure/storage-blob");

/** Whose files: a profile of a tenant. Two tenants may hold profiles with the same id. */
export interface UploadOwner {
  tenant: string;
  profileId: string;
}

/**
 * Where a CSV profile's files go: a blob container per profile, written through a write-only SAS
 * URL, as the service's `uploadUrl` hands out (reference §1 #11: a container SAS, valid one hour).
 */
export interface UploadStore {
  /** Whether the store holds real files (`start` verifies them) or none (`start` follows the profile's scenario). */
  readonly real: boolean;
  /** Starts the blob endpoint now rather than on the first upload URL (a failure to start is thrown here). */
  start(): Promise<void>;
  /** A write-only SAS URL to the profile's container, valid for `validityMs` from the simulator's `now`. */
  uploadUrl(owner: UploadOwner, now: number, validityMs: number): Promise<string>;
  /** The files in the profile's container, by blob name. */
  readFiles(owner: UploadOwner): Promise<Map<string, Uint8Array>>;
  /** Puts files into the profile's container directly (the admin API's seeding). */
  writeFiles(owner: UploadOwner, files: ReadonlyMap<string, string | Uint8Array>): Promise<void>;
  deleteContainer(owner: UploadOwner): Promise<void>;
  close(): Promise<void>;
}

/**
 * The blob store cannot be used now (its emulator died, or does not answer): the request that
 * needed it is answered 503 serviceNotAvailable (decisions.md#blob-emulator-down).
 */
export class BlobStoreUnavailableError extends Error {
  override name = "BlobStoreUnavailableError";
}

/**
 * A profile's container: the tenant's mark (a hash, since a tenant's name may be any text) and the
 * profile id, so that tenants whose profiles share an id never share a container. Lower case, at
 * most 63 characters, as blob container names must be.
 */
export function containerName(owner: UploadOwner): string {
  const tenant = createHash("sha256").update(owner.tenant).digest("hex").slice(0, 12);
  return `t${tenant}-${owner.profileId.toLowerCase()}`;
}

/** A blob service the kit can sign for: its client, and the account key that signs upload URLs. */
interface BlobAccess {
  client: BlobServiceClient;
  credential: StorageSharedKeyCredential;
}

/**
 * What every real upload store does with a profile's container, on whichever blob endpoint:
 * `reaching` runs a call against it, and says when it cannot be reached.
 */
function containerOperations(
  reaching: <T>(call: (access: BlobAccess) => Promise<T>) => Promise<T>,
): Pick<UploadStore, "uploadUrl" | "readFiles" | "writeFiles"> {
  const container = (access: BlobAccess, owner: UploadOwner) => access.client.getContainerClient(containerName(owner));
  return {
    uploadUrl: (owner, now, validityMs) =>
      reaching(async (access) => {
        const client = container(access, owner);
        await client.createIfNotExists();
        const sdk = await storageSdk();
        // No start time: a simulator on a virtual clock ahead of the real one would mint a URL not yet valid.
        const sas = sdk.generateBlobSASQueryParameters(
          {
            containerName: client.containerName,
            permissions: sdk.ContainerSASPermissions.parse("w"),
            expiresOn: new Date(now + validityMs),
          },
          access.credential,
        );
        return `${client.url}?${sas.toString()}`;
      }),
    readFiles: (owner) =>
      reaching(async (access) => {
        const client = container(access, owner);
        const files = new Map<string, Uint8Array>();
        if (!(await client.exists())) return files;
        for await (const blob of client.listBlobsFlat()) {
          let blobClient: ReturnType<typeof client.getBlobClient>;
          try {
            blobClient = client.getBlobClient(blob.name);
          } catch {
            // A name the Storage SDK cannot address (`/tmp/x`, `..\\x`) is no CSV file's: start reports it by name.
            files.set(blob.name, new Uint8Array());
            continue;
          }
          files.set(blob.name, await blobClient.downloadToBuffer());
        }
        return files;
      }),
    writeFiles: (owner, files) =>
      reaching(async (access) => {
        const client = container(access, owner);
        await client.createIfNotExists();
        for (const [name, content] of files) {
          const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
          await client.getBlockBlobClient(name).upload(bytes, bytes.byteLength);
        }
      }),
  };
}

/** A refused or broken connection, as the Storage SDK reports one (no HTTP status: nothing answered). */
function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (error as { statusCode?: unknown }).statusCode === undefined &&
    typeof code === "string" &&
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|REQUEST_SEND_ERROR)$/.test(code)
  );
}

/** Azurite is on loopback: a refused connection is an answer, not something to wait out. */
const retryOptions = { maxTries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500, tryTimeoutInMs: 15_000 };

/**
 * Uploads to Azurite, started on first use (so a simulator that never hands out an upload URL
 * never starts it, and start-up stays as fast as it was), stopped by `close()`. If the emulator
 * dies, the next request that needs it is told so (a {@link BlobStoreUnavailableError}: the files
 * it held are gone), and the one after starts a new emulator (decisions.md#blob-emulator-down).
 */
export function azuriteUploads(options: { host?: string; port?: number } = {}): UploadStore {
  type Service = BlobAccess & { azurite: AzuriteBlobService };
  let service: Promise<Service> | undefined;
  /** Why the last emulator went, until a request has been told. */
  let lost: string | undefined;
  const crashMessage = (azurite: AzuriteBlobService, how: string) =>
    `The blob emulator (Azurite, PID ${azurite.pid}) ${how}: the files uploaded to it are lost. A new one starts with the next request; ask for a new upload URL and upload again.`;
  const started = () => {
    if (service) return service;
    const starting: Promise<Service> = Promise.all([startAzuriteBlob(options), storageSdk()]).then(
      ([azurite, sdk]) => {
        void azurite.crashed.then((how) => {
          // Told by the request that found it down, or stopped since: nothing to report.
          if (service !== starting) return;
          service = undefined;
          lost = crashMessage(azurite, how);
        });
        const credential = new sdk.StorageSharedKeyCredential(devAccount.name, devAccount.key);
        const client = new sdk.BlobServiceClient(azurite.blobEndpoint, credential, { retryOptions });
        return { azurite, credential, client };
      },
      (error: unknown) => {
        // The next upload URL tries again rather than failing for ever.
        service = undefined;
        throw error;
      },
    );
    service = starting;
    return starting;
  };
  /**
   * Runs a call against the running emulator. An emulator that died is a BlobStoreUnavailableError
   * once (the request that meets it is told), and the next call starts a new one; so is one that
   * refuses connections.
   */
  const reaching = async <T>(call: (running: Service) => Promise<T>): Promise<T> => {
    if (lost !== undefined) {
      const reason = lost;
      lost = undefined;
      throw new BlobStoreUnavailableError(reason);
    }
    const pending = started();
    const running = await pending;
    try {
      return await call(running);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const code = (error as { code?: unknown }).code;
      // A refused connection: if the emulator has died, that is why, and its exit is reported within moments.
      const how = await Promise.race([running.azurite.crashed, delay(500, undefined, { ref: false })]);
      if (how === undefined)
        throw new BlobStoreUnavailableError(
          `The blob emulator (Azurite, PID ${running.azurite.pid}) did not answer (${code}). Retry.`,
        );
      if (service === pending) service = undefined;
      lost = undefined;
      throw new BlobStoreUnavailableError(crashMessage(running.azurite, how));
    }
  };
  return {
    real: true,
    async start() {
      await started();
    },
    ...containerOperations(reaching),
    async deleteContainer(owner) {
      // No emulator running (never started, or died with the files): nothing to delete.
      if (!service || lost !== undefined) return;
      try {
        await reaching(async (running) => {
          await running.client.getContainerClient(containerName(owner)).deleteIfExists();
        });
      } catch (error) {
        if (!(error instanceof BlobStoreUnavailableError)) throw error;
        // The profile goes all the same; if the emulator died, the next request that needs it is told.
        if (!service) lost = error.message;
      }
    },
    async close() {
      if (!service) return;
      const pending = service;
      service = undefined;
      await (await pending.catch(() => undefined))?.azurite.stop();
    },
  };
}

/** No blob store: the documentation's kind of URL, which nothing answers, and no files (today's behaviour). */
export function noUploads(randomSignature: () => string): UploadStore {
  return {
    real: false,
    start: async () => undefined,
    async uploadUrl({ profileId }, now, validityMs) {
      const expires = new Date(now + validityMs).toISOString().replace(/\.\d{3}Z$/, "Z");
      const signature = Buffer.from(randomSignature()).toString("base64");
      return `https://sdsstorage.blob.core.windows.net/${profileId}?sv=2023-11-03&sr=c&sig=${encodeURIComponent(signature)}&se=${encodeURIComponent(expires)}&sp=w`;
    },
    readFiles: async () => new Map(),
    async writeFiles() {
      throw new Error("this simulator keeps no uploaded files (uploads: off)");
    },
    deleteContainer: async () => undefined,
    close: async () => undefined,
  };
}

/** An `--uploads-url` the kit cannot use: the message says what it takes. */
export class UploadsUrlError extends Error {
  override name = "UploadsUrlError";
}

/** How to reach an existing blob endpoint and sign for it. */
type BlobEndpoint =
  | { kind: "connection string"; connectionString: string }
  | { kind: "account URL"; url: string; accountName: string; accountKey: string };

/**
 * Reads an `--uploads-url`: a storage connection string with the account's key (Azure's, or a
 * shared Azurite's), or the account URL of an Azurite serving the development account, whose key
 * every Azure SDK knows. Upload URLs are SAS URLs the kit signs, so it needs the key.
 */
export function parseBlobEndpoint(value: string): BlobEndpoint {
  const text = value.trim();
  if (/(^|;)\s*(AccountName|UseDevelopmentStorage|DefaultEndpointsProtocol|BlobEndpoint)\s*=/i.test(text)) {
    if (/(^|;)\s*SharedAccessSignature\s*=/i.test(text) && !/(^|;)\s*AccountKey\s*=/i.test(text))
      throw new UploadsUrlError(
        "the uploads connection string has a SAS but no AccountKey: the kit signs each upload URL itself, with the account's key",
      );
    return { kind: "connection string", connectionString: text };
  }
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url?.protocol !== "http:" && url?.protocol !== "https:")
    throw new UploadsUrlError(
      "the uploads URL must be a storage connection string (AccountName=…;AccountKey=…;BlobEndpoint=…) or an Azurite account URL (http://host:10000/devstoreaccount1)",
    );
  // Azurite and other emulators name the account in the path; Azure in the host name.
  const accountName = url.pathname.split("/").find((part) => part !== "") ?? url.hostname.split(".")[0] ?? "";
  if (accountName !== devAccount.name)
    throw new UploadsUrlError(
      `the kit signs upload URLs with the account's key, and knows only the development account's (${devAccount.name}): for ${accountName || url.host}, give a connection string with its AccountKey`,
    );
  return {
    kind: "account URL",
    url: `${url.origin}/${devAccount.name}`,
    accountName: devAccount.name,
    accountKey: devAccount.key,
  };
}

/** Another service's endpoint may be a network away: the SDK's retries, bounded. */
const remoteRetryOptions = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000, tryTimeoutInMs: 15_000 };

/**
 * Uploads to a blob endpoint that runs on its own (a shared Azurite, an Azure Storage account):
 * every replica of a sandbox hands out upload URLs to the same containers (one per tenant and
 * profile) and reads what was uploaded, whichever replica answered. Nothing is started or stopped
 * here; `start` checks that the endpoint answers and takes the key. An endpoint that does not
 * answer is a 503 to the request that needed it, and the next request tries again.
 */
export function blobEndpointUploads(endpoint: string): UploadStore {
  const parsed = parseBlobEndpoint(endpoint);
  let access: Promise<BlobAccess> | undefined;
  const where = parsed.kind === "account URL" ? parsed.url : "the endpoint of the uploads connection string";
  const connect = async (): Promise<BlobAccess> => {
    const sdk = await storageSdk();
    if (parsed.kind === "account URL") {
      const credential = new sdk.StorageSharedKeyCredential(parsed.accountName, parsed.accountKey);
      return {
        credential,
        client: new sdk.BlobServiceClient(parsed.url, credential, { retryOptions: remoteRetryOptions }),
      };
    }
    let client: BlobServiceClient;
    try {
      client = sdk.BlobServiceClient.fromConnectionString(parsed.connectionString, {
        retryOptions: remoteRetryOptions,
      });
    } catch (error) {
      throw new UploadsUrlError(
        `the uploads connection string is not one the Storage SDK reads: ${(error as Error).message}`,
      );
    }
    if (!(client.credential instanceof sdk.StorageSharedKeyCredential))
      throw new UploadsUrlError(
        "the uploads connection string has no AccountKey: the kit signs each upload URL with it",
      );
    return { client, credential: client.credential };
  };
  const reaching = async <T>(call: (reached: BlobAccess) => Promise<T>): Promise<T> => {
    access ??= connect().catch((error: unknown) => {
      access = undefined;
      throw error;
    });
    const reached = await access;
    try {
      return await call(reached);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      throw new BlobStoreUnavailableError(
        `The blob endpoint (${where}) did not answer (${String((error as { code?: unknown }).code)}). Retry.`,
      );
    }
  };
  return {
    real: true,
    async start() {
      try {
        await reaching((reached) => reached.client.getProperties());
      } catch (error) {
        if (error instanceof UploadsUrlError || error instanceof BlobStoreUnavailableError) throw error;
        const status = (error as { statusCode?: unknown }).statusCode;
        throw new UploadsUrlError(
          `the blob endpoint (${where}) refused the kit${status === undefined ? "" : ` (${String(status)})`}: ${String((error as Error).message).split("\n")[0]}`,
        );
      }
    },
    ...containerOperations(reaching),
    async deleteContainer(owner) {
      try {
        await reaching((reached) => reached.client.getContainerClient(containerName(owner)).deleteIfExists());
      } catch (error) {
        // The profile goes all the same: a container the endpoint could not delete now is left to it.
        if (!(error instanceof BlobStoreUnavailableError)) throw error;
      }
    },
    close: async () => undefined,
  };
}
