import type { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { type AzuriteBlobService, devAccount, startAzuriteBlob } from "./azurite.js";

// The Storage SDK is loaded with Azurite, on the first upload URL: a simulator that never hands one
// out starts as fast as one without uploads.
const storageSdk = () => import("@azure/storage-blob");

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
  uploadUrl(profileId: string, now: number, validityMs: number): Promise<string>;
  /** The files in the profile's container, by blob name. */
  readFiles(profileId: string): Promise<Map<string, Uint8Array>>;
  /** Puts files into the profile's container directly (the admin API's seeding). */
  writeFiles(profileId: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void>;
  deleteContainer(profileId: string): Promise<void>;
  close(): Promise<void>;
}

/** Blob container names are lower case; a profile id (a GUID) already is one. */
const containerName = (profileId: string) => profileId.toLowerCase();

/**
 * Uploads to Azurite, started on first use (so a simulator that never hands out an upload URL
 * never starts it, and start-up stays as fast as it was), stopped by `close()`.
 */
export function azuriteUploads(options: { host?: string; port?: number } = {}): UploadStore {
  let service:
    | Promise<{ azurite: AzuriteBlobService; client: BlobServiceClient; credential: StorageSharedKeyCredential }>
    | undefined;
  const started = () => {
    service ??= Promise.all([startAzuriteBlob(options), storageSdk()]).then(
      ([azurite, sdk]) => {
        const credential = new sdk.StorageSharedKeyCredential(devAccount.name, devAccount.key);
        return { azurite, credential, client: new sdk.BlobServiceClient(azurite.blobEndpoint, credential) };
      },
      (error: unknown) => {
        // The next upload URL tries again rather than failing for ever.
        service = undefined;
        throw error;
      },
    );
    return service;
  };
  const container = async (profileId: string) => (await started()).client.getContainerClient(containerName(profileId));

  return {
    real: true,
    async start() {
      await started();
    },
    async uploadUrl(profileId, now, validityMs) {
      const client = await container(profileId);
      await client.createIfNotExists();
      const [{ credential }, sdk] = await Promise.all([started(), storageSdk()]);
      // No start time: a simulator on a virtual clock ahead of the real one would mint a URL not yet valid.
      const sas = sdk.generateBlobSASQueryParameters(
        {
          containerName: client.containerName,
          permissions: sdk.ContainerSASPermissions.parse("w"),
          expiresOn: new Date(now + validityMs),
        },
        credential,
      );
      return `${client.url}?${sas.toString()}`;
    },
    async readFiles(profileId) {
      const client = await container(profileId);
      const files = new Map<string, Uint8Array>();
      if (!(await client.exists())) return files;
      for await (const blob of client.listBlobsFlat()) {
        files.set(blob.name, await client.getBlobClient(blob.name).downloadToBuffer());
      }
      return files;
    },
    async writeFiles(profileId, files) {
      const client = await container(profileId);
      await client.createIfNotExists();
      for (const [name, content] of files) {
        const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
        await client.getBlockBlobClient(name).upload(bytes, bytes.byteLength);
      }
    },
    async deleteContainer(profileId) {
      if (!service) return;
      await (await container(profileId)).deleteIfExists();
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
    async uploadUrl(profileId, now, validityMs) {
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
