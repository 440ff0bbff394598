import { afterEach, expect } from "vitest";
import { contractViolations } from "./contract-violations.js";

// The unit tier shares modules between files (isolate: false), so a hook a helper module registers
// at import would run for the first file only; the setup file runs for every file.
afterEach(() => {
  expect(contractViolations.splice(0), "a strict simulator answered against the spec").toEqual([]);
});
