// `sds-contract-kit/pact`: pact files against the spec, provider verification, and the provider
// states. Verification loads Pact (`@pact-foundation/pact`, an optional part) when it runs.

export { type CheckPactOptions, checkPact, type Finding, type Severity } from "../pact/check-pact.js";
export { type PactFile, PactFileError, readPact } from "../pact/pact-file.js";
export { csvProfileRequest } from "../pact/provider-states/csv-profile-request.js";
export {
  type InteractionSetup,
  type ProfileSeed,
  planInteractionSetup,
  SetupError,
} from "../pact/provider-states/interaction-setup.js";
export { describeSetups, type PreparedInteraction, preparePacts } from "../pact/provider-states/pact-setup.js";
export { type PreferPlan, preferPlan } from "../pact/provider-states/prism-prefer-states.js";
export {
  type ProviderStateName,
  providerStates,
  type StateHandler,
  type StateHandlers,
} from "../pact/provider-states/state-names.js";
export { readStateSentence, type StateNeed, VocabularyError, vocabulary } from "../pact/provider-states/vocabulary.js";
export { formatFindingsJson, formatFindingsJunit, formatFindingsText } from "../pact/report.js";
export { type JudgedExchange, type SpecJudgingProxy, startSpecJudgingProxy } from "../pact/spec-judging-proxy.js";
export { kitPactFiles, SpecConformanceError, type VerifyOptions, verifyProvider } from "../pact/verify-provider.js";
