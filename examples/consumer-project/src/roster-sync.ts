import {
  type CsvFiles,
  type components,
  createSynchronizationProfilesClient,
  GraphError,
  type SynchronizationProfile,
  type VerificationMessage,
} from "sds-contract-kit";

export type ProfileRequest = components["schemas"]["EducationSynchronizationProfileCreate"];

export interface RosterSyncOptions {
  /** Graph with its version: `https://graph.microsoft.com/beta`, or a mock's URL + `/beta` in tests. */
  baseUrl: string;
  /** A bearer token with EduAdministration.ReadWrite, fetched afresh for each request. */
  getToken: () => string | Promise<string>;
  /** Waiting for provisioning gives up after this long (default 10 minutes). */
  provisioningTimeoutMs?: number;
  /** The first wait between polls (default 5 s; the kit's client backs off from there). */
  pollIntervalMs?: number;
  /** How many 429s in a row a create may meet before the error is thrown (default 3). */
  maxThrottleRetries?: number;
  fetch?: (request: Request) => Promise<Response>;
  sleep?: (ms: number) => Promise<void>;
}

/** Provisioning ended in `provisioningFailed`: SDS will not sync this profile. */
export class ProvisioningFailedError extends Error {
  override name = "ProvisioningFailedError";
  constructor(readonly profile: SynchronizationProfile) {
    super(`synchronization profile ${profile.id} (${profile.displayName}) failed to provision`);
  }
}

/** `start` found errors in the uploaded files: nothing was synced. */
export class RosterRejectedError extends Error {
  override name = "RosterRejectedError";
  constructor(
    readonly profileId: string,
    readonly messages: VerificationMessage[],
  ) {
    const errors = messages.filter((m) => m.type?.toLowerCase() === "error");
    super(`the roster of ${profileId} was rejected: ${errors.map((m) => m.description).join("; ")}`);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Our roster sync: create a School Data Sync profile and wait until SDS has provisioned it, then
 * upload the six CSV files and start the sync. Graph's typed calls come from sds-contract-kit's
 * client; the policy is ours: a create that meets 429 waits its Retry-After and tries again.
 */
export function createRosterSync(options: RosterSyncOptions) {
  const sleep = options.sleep ?? delay;
  const client = createSynchronizationProfilesClient({
    baseUrl: options.baseUrl,
    getToken: options.getToken,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    sleep,
  });
  const maxThrottleRetries = options.maxThrottleRetries ?? 3;

  async function withThrottleRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof GraphError) || error.status !== 429 || attempt >= maxThrottleRetries) throw error;
        await sleep((error.retryAfter ?? 1) * 1000);
      }
    }
  }

  async function startSync(profileId: string): Promise<VerificationMessage[]> {
    const { started, messages } = await withThrottleRetries(() => client.startAndVerify(profileId));
    if (!started) throw new RosterRejectedError(profileId, messages);
    return messages;
  }

  return {
    client,

    /** Creates the profile and resolves once it is provisioned. */
    async createProfileAndWait(request: ProfileRequest): Promise<SynchronizationProfile> {
      const { profile } = await withThrottleRetries(() => client.createSynchronizationProfile(request));
      const settled = await client.waitForProvisioning(profile.id, {
        timeoutMs: options.provisioningTimeoutMs ?? 600_000,
        intervalMs: options.pollIntervalMs ?? 5000,
      });
      if (settled.state !== "provisioned") throw new ProvisioningFailedError(settled);
      return settled;
    },

    /** Starts the sync of files already uploaded; resolves with start's warnings, if any. */
    startSync,

    /** Uploads the six CSV files through the profile's upload URL, then starts the sync. */
    async uploadRosterAndStart(profileId: string, files: CsvFiles): Promise<VerificationMessage[]> {
      await client.uploadCsvFiles(profileId, files);
      return startSync(profileId);
    },
  };
}

export type RosterSync = ReturnType<typeof createRosterSync>;

/** The profile we create for a school year: a CSV profile, accounts created in our domain. */
export function csvProfile(displayName: string, domain = "contoso.edu"): ProfileRequest {
  return {
    displayName,
    dataProvider: { "@odata.type": "#microsoft.graph.educationCsvDataProvider" },
    identitySynchronizationConfiguration: {
      "@odata.type": "#microsoft.graph.educationIdentityCreationConfiguration",
      userDomains: [
        { appliesTo: "student", name: domain },
        { appliesTo: "teacher", name: domain },
      ],
    },
  };
}
