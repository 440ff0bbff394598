// The library's public surface.

export { type Operation, type OperationId, operations } from "../generated/route-table.js";
export type { components, operations as specOperations, paths } from "../generated/types.js";
export {
  type PrismMock,
  type PrismMockOptions,
  startPrismMock,
} from "../mocks/prism/start-prism-mock.js";
export type { SimulatorClock } from "../mocks/simulator/clock.js";
export {
  type ContractViolation,
  createSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../mocks/simulator/create-simulator.js";
export { scenarioTokens } from "../mocks/simulator/scenarios.js";
export {
  type RunningSimulator,
  type StartSimulatorOptions,
  startSimulator,
} from "../mocks/simulator/start-simulator.js";
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
export type { CheckFailure } from "./conform/conformance-http.js";
export {
  conformanceSummary,
  formatConformanceJson,
  formatConformanceJunit,
  formatConformanceText,
} from "./conform/conformance-report.js";
export {
  type CheckResult,
  type ConformanceGroup,
  type ConformanceOptions,
  type ConformanceReport,
  conformanceGroups,
  runConformance,
} from "./conform/run-conformance.js";
export {
  type GenerateRosterOptions,
  generateRoster,
  type RosterBreak,
  type RosterBreakName,
  rosterBreaks,
} from "./csv/generate-roster.js";
export { rosterFileNames, rosterFiles } from "./csv/roster-files.js";
export { type SyncErrorRecord, syncRoster } from "./csv/sync-roster.js";
export {
  type Roster,
  type VerificationMessage as RosterVerificationMessage,
  verificationRules,
  verificationStatus,
  verifyRoster,
} from "./csv/verify-roster.js";
export { buildDocsSite, type DocsSite, type DocsSiteOptions } from "./docs/docs-site.js";
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
export {
  type GraphErrorEnvelope,
  type GraphErrorName,
  graphError,
  graphErrorCatalogue,
} from "./graph/graph-error-catalogue.js";
export { type HttpsOption, PortInUseError } from "./http/listen.js";
export { CertificateSetupError } from "./http/local-certificate.js";
export { type CheckPactOptions, checkPact, type Finding, type Severity } from "./pact/check-pact.js";
export { type PactFile, PactFileError, readPact } from "./pact/pact-file.js";
export { csvProfileRequest } from "./pact/provider-states/csv-profile-request.js";
export {
  type InteractionSetup,
  type ProfileSeed,
  planInteractionSetup,
  SetupError,
} from "./pact/provider-states/interaction-setup.js";
export { describeSetups, type PreparedInteraction, preparePacts } from "./pact/provider-states/pact-setup.js";
export { type PreferPlan, preferPlan } from "./pact/provider-states/prism-prefer-states.js";
export {
  type ProviderStateName,
  providerStates,
  type StateHandler,
  type StateHandlers,
} from "./pact/provider-states/state-names.js";
export { readStateSentence, type StateNeed, VocabularyError, vocabulary } from "./pact/provider-states/vocabulary.js";
export { formatFindingsJson, formatFindingsJunit, formatFindingsText } from "./pact/report.js";
export { type JudgedExchange, type SpecJudgingProxy, startSpecJudgingProxy } from "./pact/spec-judging-proxy.js";
export { kitPactFiles, SpecConformanceError, type VerifyOptions, verifyProvider } from "./pact/verify-provider.js";
export { loadSpec } from "./spec/load-spec.js";
export { type ConformanceLevel, conformanceLevels, parseSource, type SourceKind } from "./spec/provenance.js";
export {
  type RequestInput,
  type ResponseInput,
  SpecValidators,
  specValidators,
} from "./validation/spec-validators.js";
export { formatViolation, type Violation, type ViolationLocation } from "./validation/violation.js";
