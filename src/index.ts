// The main entry: what a consumer team's tests need to stand in for the service. The other parts
// have entries of their own, loaded only by those who use them (package.json `exports`):
// `sds-contract-kit/mock` (the Prism mock), `/pact` (pact checks and verification), `/conform`,
// `/csv`, `/docs` and `/validation`.

export { type Operation, type OperationId, operations } from "../generated/route-table.js";
export type { components, operations as specOperations, paths } from "../generated/types.js";
export type { SimulatorClock } from "../mocks/simulator/clock.js";
export {
  type ContractViolation,
  createSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../mocks/simulator/create-simulator.js";
export type { AnsweredRequest } from "../mocks/simulator/metrics.js";
export { scenarioTokens } from "../mocks/simulator/scenarios.js";
export { StoreClockError } from "../mocks/simulator/simulator-state.js";
export {
  type RunningSimulator,
  type StartSimulatorOptions,
  startSimulator,
} from "../mocks/simulator/start-simulator.js";
export type {
  SimulatorStore,
  StoredProfile,
  StoreLimits,
  StoreSession,
} from "../mocks/simulator/store.js";
export { StoreSpecError } from "../mocks/simulator/stores/open-store.js";
export { StoreUnavailableError } from "../mocks/simulator/stores/sql-database.js";
export { createTestToken, readClaims, type TestTokenOptions, type TokenClaims } from "./auth/test-token.js";
export { GraphError, NextLinkError, parseRetryAfter, WaitTimeoutError } from "./client/graph-error.js";
export {
  type CsvFiles,
  createSynchronizationProfilesClient,
  type StartResult,
  type SynchronizationError,
  type SynchronizationProfile,
  type SynchronizationProfileStatus,
  type SynchronizationProfilesClient,
  type SynchronizationProfilesClientOptions,
  type VerificationMessage,
  type WaitOptions,
} from "./client/synchronization-profiles-client.js";
export { type CsvFixtures, csvFixtures, UnknownBreakError, writeCsvFixtures } from "./fixtures/csv-fixtures.js";
export { fixtureNames, UnknownFixtureError } from "./fixtures/fixture-targets.js";
export {
  type BrokenRule,
  FixtureError,
  type FixtureOptions,
  generateFixtures,
  generateInvalidFixtures,
  type InvalidFixture,
} from "./fixtures/generate-fixtures.js";
export { type HttpsOption, PortInUseError } from "./http/listen.js";
export { CertificateSetupError } from "./http/local-certificate.js";
export { MissingPartError, type OptionalPart, optionalParts } from "./parts/optional-parts.js";
