import type { Random } from "./random.js";
import type { StoredProfile, SyncErrorResource } from "./store.js";

const kinds = ["Student", "Teacher", "Section", "School"] as const;

/**
 * The sync errors a failed sync records: the documentation's "no matching entry in Active
 * Directory" error, spread over the record kinds, with handles in the profile's own domain.
 */
export function generateSyncErrors(
  random: Random,
  profile: StoredProfile,
  count: number,
  at: number,
): SyncErrorResource[] {
  const domain =
    (profile.resource.identitySynchronizationConfiguration as { userDomains?: { name: string }[] }).userDomains?.[0]
      ?.name ?? "testschool.edu";
  return Array.from({ length: count }, (_, index) => {
    const kind = kinds[index % kinds.length] ?? "Student";
    const handle = `${kind.toLowerCase()}${index + 1}`;
    return {
      id: random.uuid().toUpperCase(),
      entryType: kind,
      errorCode: "UnsynchronizableChange",
      errorMessage: `${kind} cannot be updated as no matching entry in Active Directory was found for ${kind}.  Verify the identity matching criteria for the profile.`,
      joiningValue: `${handle}@${domain}`,
      recordedDateTime: new Date(at + index).toISOString(),
      reportableIdentifier: handle,
    };
  });
}
