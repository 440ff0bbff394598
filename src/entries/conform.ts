// `sds-contract-kit/conform`: any server, or any `Request -> Response` function, checked against the
// documented behaviour of the API, at a conformance level.

export type { CheckFailure } from "../conform/conformance-http.js";
export {
  conformanceSummary,
  formatConformanceJson,
  formatConformanceJunit,
  formatConformanceText,
} from "../conform/conformance-report.js";
export {
  type CheckResult,
  type ConformanceGroup,
  type ConformanceOptions,
  type ConformanceReport,
  conformanceGroups,
  runConformance,
} from "../conform/run-conformance.js";
