import type { ContractViolation } from "../../mocks/simulator/create-simulator.js";

/**
 * Responses a strict simulator in the tests found breaking the spec. The unit tier's setup file
 * fails the test that caused any (test/support/unit-setup.ts).
 */
export const contractViolations: ContractViolation[] = [];
