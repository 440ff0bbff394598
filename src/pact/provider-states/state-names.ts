/**
 * The provider states of the kit's own pacts: sentences of the vocabulary (vocabulary.ts) that
 * the consumer contract gives. A renamed state is a compile error, not a failure at verification.
 */
export const providerStates = {
  noProfiles: "no synchronization profiles exist",
  provisioned: "a synchronization profile with id ${id} is provisioned",
  syncStatus: "a synchronization profile with id ${id} has sync status ${status}",
  syncFailed: "the sync of synchronization profile ${id} failed with ${errors} errors",
  verificationErrors: "the sync of synchronization profile ${id} found verification errors",
  threeProfiles: "3 synchronization profiles exist",
  absent: "no synchronization profile with id ${id} exists",
  throttling: "the service is throttling requests",
} as const;

export type ProviderStateName = (typeof providerStates)[keyof typeof providerStates];

/** Pact's state handler shape: set the state up, and return values for `fromProviderState`. */
export type StateHandler = (params?: unknown) => Promise<Record<string, string> | undefined>;
/** State handlers by state name. */
export type StateHandlers = Record<string, StateHandler>;
