// The library's public surface.

export { type Operation, type OperationId, operations } from "../generated/operations.js";
export type { components, operations as specOperations, paths } from "../generated/types.js";
export {
  PortInUseError,
  type PrismMock,
  type PrismMockOptions,
  startPrismMock,
} from "../mocks/prism/start-prism-mock.js";
export {
  type GraphErrorEnvelope,
  type GraphErrorName,
  graphError,
  graphErrorCatalogue,
} from "./errors/graph-error-catalogue.js";
export { loadSpec } from "./spec/load-spec.js";
export {
  type RequestInput,
  type ResponseInput,
  SpecValidators,
  specValidators,
} from "./validation/spec-validators.js";
export { formatViolation, type Violation, type ViolationLocation } from "./validation/violation.js";
