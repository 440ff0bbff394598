/**
 * The provider states of the kit's own pacts, by name: the consumer contract gives them, and each
 * set of state handlers (the admin API's, the Prism mock's) implements every one. A renamed state
 * is a compile error, not a failure at verification.
 */
export const providerStates = {
  noProfiles: "no synchronization profiles exist",
  provisioned: "a synchronization profile with id ${id} is provisioned",
  syncStatus: "a synchronization profile with id ${id} has sync status ${status}",
  verificationErrors: "a synchronization profile with id ${id} has files with verification errors",
  threeProfiles: "3 synchronization profiles exist",
  throttling: "the service is throttling requests",
} as const;

export type ProviderStateName = (typeof providerStates)[keyof typeof providerStates];

/** Pact's state handler shape: set the state up, and return values for `fromProviderState`. */
export type StateHandler = (params?: unknown) => Promise<Record<string, string> | undefined>;
export type StateHandlers = Record<ProviderStateName, StateHandler>;
