// `sds-contract-kit/validation`: the spec, its validators, provenance and conformance levels, and
// Graph's error catalogue, for judging requests and responses in your own tests.

export {
  type GraphErrorEnvelope,
  type GraphErrorName,
  graphError,
  graphErrorCatalogue,
} from "../graph/graph-error-catalogue.js";
export { loadSpec } from "../spec/load-spec.js";
export { type ConformanceLevel, conformanceLevels, parseSource, type SourceKind } from "../spec/provenance.js";
export {
  type RequestInput,
  type ResponseInput,
  SpecValidators,
  specValidators,
} from "../validation/spec-validators.js";
export { formatViolation, type Violation, type ViolationLocation } from "../validation/violation.js";
